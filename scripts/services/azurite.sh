#!/usr/bin/env bash
# Starts or stops the pinned Azurite (tools/azurite) on 127.0.0.1:10000 (blob), 10001 (queue), 10002 (table).
#
#   scripts/services/azurite.sh start <stateDir>   # data in <stateDir>/azurite, PID in <stateDir>/azurite.pid
#   scripts/services/azurite.sh stop  <stateDir>
#
# If the ports already answer, `start` reuses that instance (another engineer's or a previous run's).
# AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT move the instance elsewhere; the tests use that to run
# a private Azurite that nobody else on a shared machine can stop under them.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AZURITE_DIR="$REPO_ROOT/tools/azurite"
HOST=127.0.0.1
BLOB_PORT="${AZURITE_BLOB_PORT:-10000}"
QUEUE_PORT="${AZURITE_QUEUE_PORT:-10001}"
TABLE_PORT="${AZURITE_TABLE_PORT:-10002}"

usage() {
    echo "usage: $0 start|stop <stateDir>" >&2
    exit 2
}

port_answers() {
    # Any HTTP answer counts; Azurite replies 400 to a bare GET.
    curl -s -o /dev/null --max-time 1 "http://$HOST:$1/"
}

start() {
    local state="$1"
    mkdir -p "$state/azurite"
    local pid_file="$state/azurite.pid" log_file="$state/azurite.log"

    if port_answers "$TABLE_PORT"; then
        echo "azurite: already answering on $HOST:$TABLE_PORT, reusing the running instance"
        return 0
    fi

    if [[ ! -x "$AZURITE_DIR/node_modules/.bin/azurite" ]]; then
        echo "azurite: installing the pinned version (npm ci in tools/azurite)"
        (cd "$AZURITE_DIR" && npm ci --no-audit --no-fund >"$state/npm-ci.log" 2>&1) || {
            echo "azurite: npm ci failed" >&2
            tail -n 30 "$state/npm-ci.log" >&2
            exit 1
        }
    fi

    # --disableTelemetry: without it 3.37 keeps node alive for >30 s after SIGTERM.
    # --skipApiVersionCheck: the storage SDKs send an API version newer than Azurite knows.
    nohup "$AZURITE_DIR/node_modules/.bin/azurite" --silent --disableTelemetry --skipApiVersionCheck \
        --location "$state/azurite" \
        --blobHost "$HOST" --blobPort "$BLOB_PORT" --queueHost "$HOST" --queuePort "$QUEUE_PORT" \
        --tableHost "$HOST" --tablePort "$TABLE_PORT" >"$log_file" 2>&1 &
    local pid=$!
    echo "$pid" >"$pid_file"

    # The table service starts last, so once it answers all three do.
    for _ in $(seq 1 300); do
        if port_answers "$TABLE_PORT"; then
            echo "azurite: started (pid $pid), data in $state/azurite"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done

    echo "azurite: did not come up on $HOST:$TABLE_PORT; log tail:" >&2
    tail -n 30 "$log_file" >&2 || true
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
    exit 1
}

stop() {
    local state="$1" pid_file="$1/azurite.pid"
    if [[ ! -f "$pid_file" ]]; then
        echo "azurite: no pid file at $pid_file, nothing to stop"
        return 0
    fi
    local pid
    pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
        echo "azurite: stopped (pid $pid)"
    else
        echo "azurite: pid $pid was not running"
    fi
    rm -f "$pid_file"
}

[[ $# -eq 2 ]] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac
