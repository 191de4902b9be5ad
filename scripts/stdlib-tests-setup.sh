#!/usr/bin/env bash
# Completes the pyenv interpreters that `npm run test:stdlib-runtime` uses: a build that lacks
# CPython's test.test_concurrent_futures (pyenv's 3.11.7 here ships without it) gets the module
# from Debian's test-suite package of the same minor version (libpython3.X-testsuite), fetched
# with apt-get download into a cache outside the repository (default
# ~/.cache/lockorder-stdlib-tests, override with LOCKORDER_STDLIB_TESTS_CACHE) and copied into
# that interpreter's own test package (its subprocess tests import it from there, in isolated
# mode). Idempotent; an interpreter that has the module is left alone.
set -euo pipefail

CACHE="${LOCKORDER_STDLIB_TESTS_CACHE:-$HOME/.cache/lockorder-stdlib-tests}"
say() { echo "stdlib-tests-setup: $*"; }
fail() { echo "stdlib-tests-setup: $*" >&2; exit 1; }

newest() {   # newest pyenv build of a minor version, e.g. 3.11 -> ~/.pyenv/versions/3.11.7/bin/python3
  ls -d "$HOME"/.pyenv/versions/"$1".*/bin/python3 2>/dev/null | grep -E "/$1\.[0-9]+/bin" \
    | sort -V | tail -1
}

for minor in 3.10 3.11 3.13; do
  python=$(newest "$minor")
  [ -n "$python" ] || fail "no pyenv Python $minor (the stdlib matrix needs 3.10, 3.11 and 3.13)"
  if "$python" -c "import test.test_concurrent_futures" >/dev/null 2>&1; then
    continue
  fi
  testdir=$("$python" -c "import os, test; print(os.path.dirname(test.__file__))")
  package="libpython$minor-testsuite"
  unpacked="$CACHE/$package"
  if [ ! -e "$unpacked/.complete" ]; then
    rm -rf "$unpacked" && mkdir -p "$unpacked"
    say "fetching $package from Debian for $python"
    (cd "$unpacked" && apt-get download "$package" >/dev/null 2>&1) \
      || fail "apt-get download $package failed (Debian ships it only for its own Python versions)"
    dpkg-deb -x "$unpacked"/*.deb "$unpacked/root" || fail "cannot unpack $package"
    touch "$unpacked/.complete"
  fi
  source_path="$unpacked/root/usr/lib/python$minor/test"
  if [ -d "$source_path/test_concurrent_futures" ]; then
    cp -r "$source_path/test_concurrent_futures" "$testdir/"
  elif [ -f "$source_path/test_concurrent_futures.py" ]; then
    cp "$source_path/test_concurrent_futures.py" "$testdir/"
  else
    fail "$package has no test_concurrent_futures"
  fi
  "$python" -c "import test.test_concurrent_futures" \
    || fail "test.test_concurrent_futures from $package does not import on $python"
  say "installed test.test_concurrent_futures from $package into $testdir"
done
