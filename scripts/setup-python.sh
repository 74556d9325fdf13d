#!/usr/bin/env bash
# Installs the project's Python tools (cfn-lint, checkov, pyspark, moto), pinned in
# requirements.txt, into the project-local virtual environment .venv/ (git-ignored).
#
# Idempotent: the SHA-256 of the requirements file (and the Python version) is stored in
# .venv/.requirements.sha256; when it matches, nothing is done (well under a second). When the
# file changed, the venv is rebuilt from scratch so it holds exactly the locked versions.
#
# Usage: bash scripts/setup-python.sh      (PYTHON=/path/to/python3.11 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."

REQ=requirements.txt
VENV=.venv
STAMP="$VENV/.requirements.sha256"

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
  done
fi
if [ -z "$python" ]; then
  echo "setup-python: no python3.11 or python3 on PATH (set PYTHON=...)" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup-python: $("$python" --version 2>&1) is too old; $REQ is locked for Python 3.11+" >&2
  exit 2
fi

want="$(sha256sum "$REQ" | cut -d' ' -f1) $("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] \
  && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "setup-python: $VENV is up to date ($REQ unchanged)"
  exit 0
fi

echo "setup-python: creating $VENV with $("$python" --version 2>&1) and installing $REQ"
start=$(date +%s)
rm -rf "$VENV"
"$python" -m venv "$VENV"
# -qq: errors only (the machine's pip configuration warns about every package otherwise).
PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -qq --no-input -r "$REQ"
"$VENV/bin/cfn-lint" --version
echo "checkov $("$VENV/bin/checkov" --version)"
"$VENV/bin/python" -c 'import pyspark, moto; print("pyspark", pyspark.__version__, "moto", moto.__version__)'
echo "$want" > "$STAMP"
echo "setup-python: done in $(( $(date +%s) - start ))s"
