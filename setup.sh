#!/usr/bin/env bash
# camscan set-up: installs everything a fresh Debian machine needs, then runs what you ask for.
#   bash setup.sh demo    install, then run the main job (the demo)
#   bash setup.sh test    install, then run the whole test suite (what CI runs)
#   bash setup.sh install install only
set -euo pipefail
cd "$(dirname "$0")"

VENV=${VENV:-.venv}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v nmap >/dev/null 2>&1 || need_apt+=(nmap)
command -v tcpdump >/dev/null 2>&1 || need_apt+=(tcpdump)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
ldconfig -p 2>/dev/null | grep 'libpcap\.so' >/dev/null || need_apt+=(libpcap0.8)  # not grep -q: with pipefail, ldconfig's SIGPIPE would fail it
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
# Reports are tested in a real headless browser (Debian's chromium).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" ca-certificates >&2
fi

python3 - <<'PY' || { echo "setup: camscan needs Python 3.11 or newer" >&2; exit 2; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

# Python packages come from requirements/lock.txt: exact releases with their hashes, the same on every machine
# (docs/development.md says how to refresh it). CAMSCAN_UNPINNED=1 installs instead the newest releases that
# pyproject.toml's ranges allow, to try tomorrow's releases today. The stamp records what was installed from
# which files, so a changed lock, pyproject.toml or mode re-installs.
LOCK=requirements/lock.txt
stamp="$VENV/.camscan-installed"
if [ "${CAMSCAN_UNPINNED:-0}" = 1 ]; then mode=unpinned; else mode=locked; fi
want="$mode $(cat pyproject.toml requirements/build.in "$LOCK" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  rm -f "$stamp"
  pip=("$VENV/bin/python" -m pip install -q)
  if [ "$mode" = locked ]; then
    echo "setup: installing camscan's locked Python dependencies ($LOCK) into $VENV" >&2
    "${pip[@]}" --require-hashes -r "$LOCK" >&2
    "${pip[@]}" --no-deps --no-build-isolation -e . >&2
  else
    echo "setup: installing the newest releases pyproject.toml allows (CAMSCAN_UNPINNED=1) into $VENV" >&2
    "${pip[@]}" --upgrade pip setuptools wheel >&2
    "${pip[@]}" --upgrade --upgrade-strategy eager -e '.[dev]' >&2
  fi
  "$VENV/bin/python" -m pip check >&2
  echo "$want" > "$stamp"
fi
"$VENV/bin/python" - "$mode" <<'PY' >&2
import sys
from importlib.metadata import PackageNotFoundError, version

def have(name: str) -> str:
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return f"{name} missing"

print(f"setup: Python packages ({sys.argv[1]}): " + ", ".join(have(n) for n in ("lxml", "pytest", "ruff", "mypy")))
PY

case "${1:-install}" in
  install) echo "setup: done. Run $VENV/bin/camscan --help" >&2 ;;
  demo)
    shift
    exec "$VENV/bin/camscan" demo "$@"
    ;;
  test)
    shift
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *) echo "usage: bash setup.sh [install|demo|test]" >&2; exit 2 ;;
esac
