#!/usr/bin/env bash
# A throw-away SMTP server for the connector tests (smtp-sink.py on aiosmtpd): AUTH required, every accepted
# message lands as an .eml file in <stateDir>/smtp/drop.
#
#   smtp.sh start <stateDir>   start it, or reuse the one already running for this state dir
#   smtp.sh stop  <stateDir>   stop it
#
# Env: KOPPEL_TEST_SMTP_PORT (default 2525); KOPPEL_TEST_SMTP_USER / KOPPEL_TEST_SMTP_PASSWORD (default:
# user "koppel" and a password generated once; both kept in <stateDir>/smtp/credentials, mode 600, user on
# the first line and password on the second).
set -euo pipefail

PORT="${KOPPEL_TEST_SMTP_PORT:-2525}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() { echo "usage: $0 start|stop <stateDir>" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
CMD="$1"
mkdir -p "$2"
STATE="$(cd "$2" && pwd)"
DIR="$STATE/smtp"
PID_FILE="$DIR/smtp.pid"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ensure_installed() {
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null && return
  echo "installing python3-aiosmtpd" >&2
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-aiosmtpd >&2
}

ensure_credentials() {
  local user password
  if [[ -s "$DIR/credentials" ]]; then
    user="$(sed -n 1p "$DIR/credentials")"
    password="$(sed -n 2p "$DIR/credentials")"
  fi
  user="${KOPPEL_TEST_SMTP_USER:-${user:-koppel}}"
  password="${KOPPEL_TEST_SMTP_PASSWORD:-${password:-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')}}"
  (umask 077 && printf '%s\n%s\n' "$user" "$password" > "$DIR/credentials")
  chmod 600 "$DIR/credentials"
  SINK_USER="$user"
  SINK_PASSWORD="$password"
}

start() {
  if pid="$(running_pid)" && port_open; then
    echo "smtp sink already running (pid $pid) on 127.0.0.1:$PORT"
    return
  fi
  if port_open; then
    echo "port $PORT is taken by another process; set KOPPEL_TEST_SMTP_PORT" >&2
    exit 1
  fi
  ensure_installed
  mkdir -p "$DIR/drop"
  ensure_credentials
  # Credentials go through the environment, not the command line, so `ps` does not show them.
  SINK_HOST=127.0.0.1 SINK_PORT="$PORT" SINK_DROP="$DIR/drop" SINK_USER="$SINK_USER" SINK_PASSWORD="$SINK_PASSWORD" \
    setsid /usr/bin/python3 "$HERE/smtp-sink.py" >> "$DIR/smtp.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 100); do
    if port_open; then
      echo "smtp sink running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT, dropping into $DIR/drop"
      return
    fi
    sleep 0.1
  done
  echo "smtp sink did not open port $PORT; see $DIR/smtp.log" >&2
  exit 1
}

stop() {
  if pid="$(running_pid)"; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "smtp sink (pid $pid) stopped"
  else
    echo "smtp sink not running for $STATE"
  fi
  rm -f "$PID_FILE"
}

case "$CMD" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
