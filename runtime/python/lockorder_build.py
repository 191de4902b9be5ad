"""A tiny PEP 517 build backend for the lockorder runtime, standard library only.

The runtime is pure Python, so a wheel is a zip of the package plus metadata. Building it
here needs neither setuptools nor the ``wheel`` package, so ``pip install
--no-build-isolation runtime/python`` works offline on any Python 3.8+.
"""

import base64
import hashlib
import os
import zipfile

NAME = "lockorder"
VERSION = "0.1.0"
TAG = "py3-none-any"
HERE = os.path.dirname(os.path.abspath(__file__))
METADATA = (
    "Metadata-Version: 2.1\n"
    "Name: %s\n"
    "Version: %s\n"
    "Summary: Run-time lock-order recording and deadlock detection for threaded Python\n"
    "License: MIT\n"
    "Requires-Python: >=3.8\n" % (NAME, VERSION)
)
WHEEL = "Wheel-Version: 1.0\nGenerator: lockorder_build\nRoot-Is-Purelib: true\nTag: %s\n" % TAG


def _package_files():
    """(path in the wheel, path on disk) for every .py file of the package."""
    for folder, dirs, files in os.walk(os.path.join(HERE, NAME)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            if name.endswith(".py"):
                full = os.path.join(folder, name)
                yield os.path.relpath(full, HERE).replace(os.sep, "/"), full


def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _dist_info():
    return "%s-%s.dist-info" % (NAME, VERSION)


def get_requires_for_build_wheel(config_settings=None):
    """Nothing to install before building."""
    return []


def get_requires_for_build_sdist(config_settings=None):
    """Nothing to install before building."""
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    """Write the .dist-info folder pip reads before building."""
    folder = os.path.join(metadata_directory, _dist_info())
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "METADATA"), "w") as f:
        f.write(METADATA)
    with open(os.path.join(folder, "WHEEL"), "w") as f:
        f.write(WHEEL)
    return _dist_info()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Zip the package and its metadata into a pure-Python wheel."""
    filename = "%s-%s-%s.whl" % (NAME, VERSION, TAG)
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as whl:
        entries = [(arc, open(full, "rb").read()) for arc, full in _package_files()]
        entries.append((_dist_info() + "/METADATA", METADATA.encode()))
        entries.append((_dist_info() + "/WHEEL", WHEEL.encode()))
        for arc, data in entries:
            whl.writestr(arc, data)
            records.append("%s,%s,%d" % (arc, _digest(data), len(data)))
        records.append(_dist_info() + "/RECORD,,")
        whl.writestr(_dist_info() + "/RECORD", "\n".join(records) + "\n")
    return filename


def build_sdist(sdist_directory, config_settings=None):
    """A source archive of the package, this backend and pyproject.toml."""
    import tarfile
    base = "%s-%s" % (NAME, VERSION)
    filename = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        for arc, full in _package_files():
            tar.add(full, arcname=base + "/" + arc)
        for extra in ("pyproject.toml", "lockorder_build.py"):
            tar.add(os.path.join(HERE, extra), arcname=base + "/" + extra)
        info = METADATA.encode()
        member = tarfile.TarInfo(base + "/PKG-INFO")
        member.size = len(info)
        import io
        tar.addfile(member, io.BytesIO(info))
    return filename
