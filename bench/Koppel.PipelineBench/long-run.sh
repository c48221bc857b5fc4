#!/usr/bin/env bash
# The long memory run of the pipeline bench on Azurite, e.g.
#   bench/Koppel.PipelineBench/long-run.sh memory=100000 sample=5000 dossiers=100
#
# Azurite keeps each service's metadata in LokiJS and, on every blob delete, re-sorts the indexes of every blob the
# process holds (profiled: 38 % of its CPU after 2,000 documents). The pipeline deletes one inbox blob per document
# while the archive only grows, so one Azurite slows down as the archive fills; Azure Storage does not. Here the inbox
# gets a blob process of its own (it stays small), beside one for the other containers, one for queues and one for
# tables, all in memory. The documents go to `dossiers` dossiers in turn, as a platform's would, so no table
# partition grows without bound either.
#
# Azurite also frees the content of deleted blobs in a mark-and-sweep every 10 minutes, removing each freed extent from
# an indexed LokiJS collection one at a time: after 10 minutes of 50 deletes a second that is ~30,000 removals at O(n)
# each, and the inbox process stops answering for over ten minutes (seen at 25,000 documents). A preload sets the
# inbox process's sweep to every 15 seconds, so each sweep frees a few hundred extents and takes milliseconds. Only
# there: the other blob process only grows, and a sweep every 15 s over its 100,000 blobs would take a core for
# itself. Azure Storage has neither cost; this only keeps the emulator from measuring itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
azurite="$root/tools/azurite/node_modules/azurite/dist/src"
[ -d "$azurite" ] || (cd "$root/tools/azurite" && npm ci --no-audit --no-fund >/dev/null)
state="$(mktemp -d -t koppel-long-run-XXXXXX)"
base="${KOPPEL_BENCH_PORT:-22000}"
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$state"; }
trap stop EXIT

gc_preload="$state/azurite-gc.js"
cat >"$gc_preload" <<JS
require("$azurite/blob/utils/constants.js").DEFAULT_GC_INTERVAL_MS = 15000;
JS

start() { # service port [node options]
    node "${@:3}" "$azurite/$1/main.js" --silent --disableTelemetry --skipApiVersionCheck --inMemoryPersistence \
        "--${1}Host" 127.0.0.1 "--${1}Port" "$2" >"$state/$1-$2.log" 2>&1 &
    pids+=("$!")
}
start blob "$base"; start queue $((base + 1)); start table $((base + 2)); start blob $((base + 3)) --require "$gc_preload"
for port in "$base" $((base + 1)) $((base + 2)) $((base + 3)); do
    for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done

key="AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
services="QueueEndpoint=http://127.0.0.1:$((base + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((base + 2))/devstoreaccount1;"
storage="DefaultEndpointsProtocol=http;${key}BlobEndpoint=http://127.0.0.1:$base/devstoreaccount1;$services"
inbox="DefaultEndpointsProtocol=http;${key}BlobEndpoint=http://127.0.0.1:$((base + 3))/devstoreaccount1;$services"
dotnet run -c Release --project "$root/bench/Koppel.PipelineBench" -- documents=500 steady=10 "$@" "storage=$storage" "inbox=$inbox"
