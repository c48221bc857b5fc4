#!/usr/bin/env bash
# Runs Koppel on this machine: Azurite (data in .state/dev), the self-hosted server on http://127.0.0.1:7070,
# a demo dossier (0403.170.701, "Demo Bakkerij BV") whose local-folder connection delivers into .state/dev/outbox.
# With --sandbox it also starts the provider fakes (tests/Koppel.ProviderFakes) on http://127.0.0.1:7071, points the
# server's provider URLs at them and connects the demo dossier to the sandbox Yuki and Exact Online (the server gives
# Exact's OAuth consent itself: the sandbox approves at once): a sales invoice dropped in is booked in both, with each
# provider's reference in its history. Ctrl+C stops everything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.state/dev"
PORT="${KOPPEL_PORT:-7070}"
SANDBOX_PORT="${KOPPEL_SANDBOX_PORT:-7071}"
SANDBOX=false
[ "${1:-}" = "--sandbox" ] && SANDBOX=true
DOSSIER=0403170701
mkdir -p "$STATE/outbox" "$STATE/drop/$DOSSIER"

"$ROOT/scripts/services/azurite.sh" start "$STATE"
SERVER_PID=""
FAKES_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$FAKES_PID" ] && kill "$FAKES_PID" 2>/dev/null && wait "$FAKES_PID" 2>/dev/null
    "$ROOT/scripts/services/azurite.sh" stop "$STATE" || true
}
trap cleanup EXIT INT TERM

# A random API key, kept in the git-ignored state folder; the server is given only its hash.
if [ ! -s "$STATE/api-key" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$STATE/api-key")
fi
API_KEY="$(cat "$STATE/api-key")"
KEY_HASH="$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"

# The key ring that protects stored credentials is itself encrypted with a certificate kept in another folder.
if [ ! -s "$STATE/key-ring-certificate/key.pem" ]; then
    mkdir -p "$STATE/key-ring-certificate"
    (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=koppel-dev-key-ring" \
        -keyout "$STATE/key-ring-certificate/key.pem" -out "$STATE/key-ring-certificate/certificate.pem" 2>/dev/null)
fi

dotnet build "$ROOT/src/Koppel.Server" -c Release -nologo -v quiet

if $SANDBOX; then
    dotnet build "$ROOT/tests/Koppel.ProviderFakes" -c Release -nologo -v quiet
    dotnet "$ROOT/tests/Koppel.ProviderFakes/bin/Release/net10.0/Koppel.ProviderFakes.dll" "$SANDBOX_PORT" > "$STATE/sandbox.log" 2>&1 &
    FAKES_PID=$!
    FAKES="http://127.0.0.1:$SANDBOX_PORT"
    export Koppel__Demo__Sandbox=true \
        Koppel__Providers__Yuki__BaseUrl="$FAKES/yuki/ws/" Koppel__Providers__Yuki__BaseUrlNl="$FAKES/yuki/ws/" \
        Koppel__Providers__ExactOnline__BaseUrl="$FAKES/exact-online/" \
        Koppel__Providers__ExactOnline__ClientId=koppel-fake-client \
        Koppel__Providers__ExactOnline__ClientSecret=sandbox-exact-client-secret \
        Koppel__Providers__ExactOnline__RedirectUri=https://platform.example.be/exact/callback \
        Koppel__Providers__Octopus__BaseUrl="$FAKES/octopus/" Koppel__Providers__Octopus__FileImportBaseUrl="$FAKES/octopus/file-import-api/" \
        Koppel__Providers__Octopus__SoftwareHouseUuid=5f0c3a9e-0000-4000-8000-00000000c0de \
        Koppel__Providers__Venice__BaseUrl="$FAKES/venice/" \
        Koppel__Providers__Dropbox__BaseUrl="$FAKES/dropbox/" Koppel__Providers__Dropbox__ContentUrl="$FAKES/dropbox/" \
        Koppel__Providers__Dropbox__AuthUrl="$FAKES/dropbox/" Koppel__Providers__Dropbox__AppKey=koppel-fake-dropbox-app \
        Koppel__Providers__Dropbox__AppSecret=sandbox-dropbox-app-secret \
        Koppel__Providers__Dropbox__RedirectUri=https://platform.example.be/dropbox/callback \
        Koppel__Providers__OneDrive__BaseUrl="$FAKES/onedrive/v1.0/" Koppel__Providers__OneDrive__LoginUrl="$FAKES/onedrive/login/" \
        Koppel__Providers__OneDrive__ClientId=5f0c6a3e-koppel-fake-onedrive \
        Koppel__Providers__OneDrive__ClientSecret=sandbox-onedrive-client-secret \
        Koppel__Providers__OneDrive__RedirectUri=https://platform.example.be/onedrive/callback
    # The server connects the demo dossier to the sandbox Exact when it starts, so the fakes must answer first.
    for _ in $(seq 1 100); do
        curl -s -o /dev/null --max-time 1 "$FAKES/" && break
        sleep 0.2
    done
    echo "  Sandbox providers on $FAKES (log: $STATE/sandbox.log); the demo dossier books into the sandbox Yuki and Exact Online."
fi

cat <<MSG

  Koppel is starting on http://127.0.0.1:$PORT  (demo dossier $DOSSIER, Demo Bakkerij BV)

  Drop a file:   cp samples/demo-invoice.xml .state/dev/drop/$DOSSIER/     (moved into blob storage inbox/$DOSSIER/)
  or upload it:  curl -H "X-Api-Key: \$(cat .state/dev/api-key)" --data-binary @samples/demo-invoice.xml \\
                   "http://127.0.0.1:$PORT/api/dossiers/$DOSSIER/documents?fileName=demo-invoice.xml"
  Delivered to:  $STATE/outbox/$DOSSIER/
  Run log:       curl -H "X-Api-Key: \$(cat .state/dev/api-key)" http://127.0.0.1:$PORT/api/dossiers/$DOSSIER/runs
  Documents:     curl -H "X-Api-Key: \$(cat .state/dev/api-key)" http://127.0.0.1:$PORT/api/dossiers/$DOSSIER/documents
  Quarantine:    curl -H "X-Api-Key: \$(cat .state/dev/api-key)" http://127.0.0.1:$PORT/api/dossiers/$DOSSIER/quarantine
  (Lists answer {"items": [...], "continuationToken": ...}: 100 a page; ?pageSize=1..1000, next page ?continuationToken=)

  Ctrl+C stops the server and Azurite.

MSG

cd "$STATE"
Koppel__Demo__Enabled=true \
Koppel__Server__DropFolder="$STATE/drop" \
Koppel__Demo__OutboxPath="$STATE/outbox" \
Koppel__Connectors__LocalFolder__AllowedRoots__0="$STATE/outbox" \
Koppel__Azure__KeyRingDirectory="$STATE/keys" \
Koppel__Azure__KeyRingCertificatePath="$STATE/key-ring-certificate/certificate.pem" \
Koppel__Azure__KeyRingCertificateKeyPath="$STATE/key-ring-certificate/key.pem" \
Koppel__Api__Keys__0__Name=developer \
Koppel__Api__Keys__0__Sha256="$KEY_HASH" \
Koppel__Api__Keys__0__Dossiers__0='*' \
ASPNETCORE_URLS="http://127.0.0.1:$PORT" \
dotnet "$ROOT/src/Koppel.Server/bin/Release/net10.0/Koppel.Server.dll" --contentRoot "$ROOT/src/Koppel.Server" --urls "http://127.0.0.1:$PORT" &
SERVER_PID=$!
wait "$SERVER_PID"
