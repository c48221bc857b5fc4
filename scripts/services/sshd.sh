#!/usr/bin/env bash
# A throw-away SFTP server for the connector tests: Debian's OpenSSH on 127.0.0.1, one password/key user
# `koppelsftp` locked to internal-sftp, everything (host key, config, home, log, pid) under <stateDir>/sshd.
#
#   sshd.sh start <stateDir>   start it, or reuse the one already running for this state dir
#   sshd.sh stop  <stateDir>   stop it (SIGTERM) with its sessions
#   sshd.sh crash <stateDir>   SIGKILL it with its sessions, as a power cut would: for crash tests
#
# Env: KOPPEL_TEST_SFTP_PORT (default 2222), KOPPEL_TEST_SFTP_PASSWORD (default: generated once and kept
# in <stateDir>/sshd/password, mode 600). A client key pair for key auth is kept in <stateDir>/sshd/client_ed25519.
set -euo pipefail

USER_NAME=koppelsftp
PORT="${KOPPEL_TEST_SFTP_PORT:-2222}"

usage() { echo "usage: $0 start|stop|crash <stateDir>" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
CMD="$1"
mkdir -p "$2"
STATE="$(cd "$2" && pwd)"
DIR="$STATE/sshd"
PID_FILE="$DIR/sshd.pid"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# All processes below a pid: the listener forks a privileged and an unprivileged process per session,
# and they call setsid(), so a process-group kill would miss them.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

kill_tree() {
  local signal="$1" pid="$2"
  local tree; tree="$(descendants "$pid")"
  kill "-$signal" "$pid" 2>/dev/null || true
  # shellcheck disable=SC2086 # the list is pids, one per word
  [[ -z "$tree" ]] || kill "-$signal" $tree 2>/dev/null || true
}

ensure_installed() {
  [[ -x /usr/sbin/sshd ]] && return
  echo "installing openssh-server" >&2
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server >&2
}

ensure_password() {
  if [[ -n "${KOPPEL_TEST_SFTP_PASSWORD:-}" ]]; then
    PASSWORD="$KOPPEL_TEST_SFTP_PASSWORD"
  elif [[ -s "$DIR/password" ]]; then
    PASSWORD="$(cat "$DIR/password")"
  else
    PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  fi
  (umask 077 && printf '%s' "$PASSWORD" > "$DIR/password")
  chmod 600 "$DIR/password"
}

ensure_user() {
  local home="$DIR/home/$USER_NAME"
  # The account's own home stays /nonexistent: each server puts the user in its own state dir through
  # `internal-sftp -d` instead, so servers of two worktrees do not move each other's files. The password
  # is the account's, though: the last start sets it (use KOPPEL_TEST_SFTP_PASSWORD to share one).
  id "$USER_NAME" >/dev/null 2>&1 || useradd --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
  echo "$USER_NAME:$PASSWORD" | chpasswd
  # The home stays root's, so the user can write only where an import folder is meant to be.
  mkdir -p "$home/Invoice_import"
  chown "$USER_NAME:" "$home/Invoice_import"
  # sshd must be able to walk down to the home directory (mktemp-style 0700 parents break it).
  chmod 755 "$STATE" "$DIR" "$DIR/home" "$home" "$home/Invoice_import"
}

ensure_keys() {
  [[ -f "$DIR/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C koppel-test-host -f "$DIR/host_ed25519"
  [[ -f "$DIR/client_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C koppel-test-client -f "$DIR/client_ed25519"
  cp "$DIR/client_ed25519.pub" "$DIR/authorized_keys"
  chmod 644 "$DIR/authorized_keys"
  ssh-keygen -l -E sha256 -f "$DIR/host_ed25519.pub" | awk '{print $2}' | sed 's/^SHA256://' > "$DIR/host_fingerprint_sha256"
}

write_config() {
  cat > "$DIR/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $PORT
HostKey $DIR/host_ed25519
PidFile none
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin no
AllowUsers $USER_NAME
AllowTcpForwarding no
X11Forwarding no
StrictModes no
Subsystem sftp internal-sftp
Match User $USER_NAME
  ForceCommand internal-sftp -d $DIR/home/$USER_NAME
CFG
}

start() {
  if pid="$(running_pid)" && port_open; then
    echo "sshd already running (pid $pid) on 127.0.0.1:$PORT"
    return
  fi
  if port_open; then
    echo "port $PORT is taken by another process; set KOPPEL_TEST_SFTP_PORT" >&2
    exit 1
  fi
  ensure_installed
  mkdir -p "$DIR" /run/sshd
  ensure_password
  ensure_user
  ensure_keys
  write_config
  /usr/sbin/sshd -t -f "$DIR/sshd_config"
  # setsid: the server outlives the test run that started it, so the next run reuses it.
  setsid /usr/sbin/sshd -D -e -f "$DIR/sshd_config" >> "$DIR/sshd.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 100); do
    if port_open; then
      echo "sshd running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"
      return
    fi
    sleep 0.1
  done
  echo "sshd did not open port $PORT; see $DIR/sshd.log" >&2
  exit 1
}

stop() {
  local signal="$1"
  if pid="$(running_pid)"; then
    kill_tree "$signal" "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "sshd (pid $pid) stopped with SIG$signal"
  else
    echo "sshd not running for $STATE"
  fi
  rm -f "$PID_FILE"
}

case "$CMD" in
  start) start ;;
  stop) stop TERM ;;
  crash) stop KILL ;;
  *) usage ;;
esac
