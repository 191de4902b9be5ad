"""The runtime installs offline with pip and uninstalls cleanly.

`python -m pip install --no-build-isolation --no-index runtime/python` is what the editor's
"Install the Runtime" command runs; it must work without network, setuptools or wheel.
"""

import os
import subprocess
import sys
import tempfile
import unittest

RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "runtime", "python")


class InstallTest(unittest.TestCase):
    """pip install / import / pip uninstall in a fresh virtual environment."""

    def test_install_import_uninstall(self):
        with tempfile.TemporaryDirectory() as venv:
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            python = os.path.join(venv, "bin", "python")
            env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
            env.pop("PYTHONPATH", None)
            install = subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                                      os.path.abspath(RUNTIME)], capture_output=True, text=True, env=env)
            self.assertEqual(install.returncode, 0, install.stdout + install.stderr)
            probe = [python, "-c", "import lockorder, lockorder.order_file; print(lockorder.acquire.__name__)"]
            imported = subprocess.run(probe, capture_output=True, text=True, env=env, cwd=venv)
            self.assertEqual(imported.stdout.strip(), "acquire", imported.stderr)
            removed = subprocess.run([python, "-m", "pip", "uninstall", "-y", "lockorder"], capture_output=True, text=True, env=env)
            self.assertEqual(removed.returncode, 0, removed.stderr)
            gone = subprocess.run([python, "-c", "import lockorder"], capture_output=True, text=True, env=env, cwd=venv)
            self.assertNotEqual(gone.returncode, 0, "lockorder is still importable after uninstall")


if __name__ == "__main__":
    unittest.main()
