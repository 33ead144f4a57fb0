#!/usr/bin/env bash
# Re-resolve requirements/lock.txt, the exact releases (with their hashes) that setup.sh and CI install, from
# pyproject.toml (dependencies + the dev extra) and requirements/build.in (what building camscan needs).
# One resolution for every platform and every Python from 3.11 on (uv's universal mode).
#
#   bash requirements/refresh.sh                          keep every pin that still fits; add/drop what changed
#   bash requirements/refresh.sh --upgrade                every package to the newest release the ranges allow
#   bash requirements/refresh.sh --upgrade-package lxml   just that one
#
# Commit the new lock on its own (docs/development.md says how), so that its CI run proves it.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9  # the resolver is pinned too: the same inputs give the same lock
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/python" -m pip install -q "uv==$UV_VERSION" >&2
"$tools/bin/uv" pip compile pyproject.toml requirements/build.in \
  --extra dev \
  --universal --python-version 3.11 \
  --generate-hashes \
  --custom-compile-command "bash requirements/refresh.sh" \
  --output-file requirements/lock.txt \
  "$@"
echo "refresh: requirements/lock.txt written; run 'bash setup.sh test' before committing it" >&2
