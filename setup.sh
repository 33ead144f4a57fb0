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
ldconfig -p 2>/dev/null | grep -q 'libpcap\.so' || need_apt+=(libpcap0.8)
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

stamp="$VENV/.camscan-installed"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing camscan and its Python dependencies into $VENV" >&2
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e '.[dev]' >&2
  touch "$stamp"
fi

case "${1:-install}" in
  install) echo "setup: done. Run $VENV/bin/camscan --help" >&2 ;;
  demo)
    shift
    exec "$VENV/bin/camscan" demo "$@"
    ;;
  test)
    shift
    "$VENV/bin/ruff" check .
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *) echo "usage: bash setup.sh [install|demo|test]" >&2; exit 2 ;;
esac
