#!/usr/bin/env bash
# Starts (or stops) two real Airflow REST API servers for the API tier tests, each on SQLite in
# its own AIRFLOW_HOME under $STRATA_AIRFLOW_API_DIR (default /tmp/strata-airflow-api):
#   scripts/services/airflow-api.sh start   # idempotent; writes STRATA_TEST_AIRFLOW{3,2}_* to $STRATA_SERVICES_ENV
#   scripts/services/airflow-api.sh stop
# - Airflow 3.3.2 `airflow api-server` (core API only, one worker), SimpleAuthManager with the
#   users admin (ADMIN role) and viewer (VIEWER role: read-only, and in SimpleAuthManager that
#   means no access to connections or variables at all, not even GET); passwords are pre-set in
#   the manager's password file, so they equal the user names. Venv: $STRATA_AIRFLOW3_VENV
#   (default ~/.cache/strata-airflow-venv), built when missing the way
#   ../shared/fixtures/generators/setup_venv.sh does (its constraints, Airflow requirements only).
# - Airflow 2.11.0 `airflow webserver` (one gunicorn worker), API v1 with basic auth, FAB users
#   admin (Admin) and viewer (Viewer, which FAB gives no access to connections or variables
#   either: both servers answer the viewer 403 on every connection/variable call). Venv: $STRATA_AIRFLOW2_VENV (default
#   ~/.cache/strata-airflow2-venv), built when missing with pip (apache-airflow==2.11.0 needs
#   cryptography==43.0.3 beside it).
# [core] test_connection stays at its default (Disabled) on both; Airflow reads its configuration
# once per process, so a third server, Airflow 3.3.2's api-server on the same database with
# AIRFLOW__CORE__TEST_CONNECTION=Enabled, serves the connection-test tests
# (STRATA_TEST_AIRFLOW3_TESTING_API_URL).
# STRATA_TEST_AIRFLOW{3,2}_ENV name a sourceable file with the whole environment of each server
# (AIRFLOW_HOME and the AIRFLOW__* settings), for running its `airflow` CLI (STRATA_TEST_AIRFLOW{3,2}_BIN)
# against the same database.
set -euo pipefail

action="${1:-start}"
here=$(cd "$(dirname "$0")" && pwd)
state_dir="${STRATA_AIRFLOW_API_DIR:-/tmp/strata-airflow-api}"
env_file="${STRATA_SERVICES_ENV:-/tmp/strata-services.env}"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}"
venv3="${STRATA_AIRFLOW3_VENV:-$cache_dir/strata-airflow-venv}"
venv2="${STRATA_AIRFLOW2_VENV:-$cache_dir/strata-airflow2-venv}"
fixtures="${STRATA_FIXTURES:-$here/../../../shared/fixtures}"
ready_seconds="${STRATA_AIRFLOW_READY_SECONDS:-120}"
# Test-only secrets, fixed so that a restarted server still decrypts its database and accepts tokens.
fernet_key="9u8tpoaxW3r2Umbf5Nl_RUGRbyLbxogSQQRrYKgBWvo="
jwt_secret="strata-test-jwt-secret-not-for-production-0123456789abcdef0123456789"
webserver_secret="strata-test-webserver-secret"

log() { echo "airflow-api.sh: $*" >&2; }

python311() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  log "Python 3.11 is required to build the Airflow virtualenvs"
  return 1
}

ensure_venv3() {
  [ -x "$venv3/bin/airflow" ] && return 0
  local generators="$fixtures/generators" python
  [ -f "$generators/constraints-airflow3-lean.txt" ] ||
    { log "missing $generators/constraints-airflow3-lean.txt (set STRATA_FIXTURES)"; return 1; }
  python=$(python311)
  log "building the Airflow 3.3.2 virtualenv in $venv3 (a few minutes)"
  "$python" -m venv "$venv3"
  "$venv3/bin/pip" install -q -U pip >&2
  "$venv3/bin/pip" install -q -c "$generators/constraints-airflow3-lean.txt" \
    -r "$generators/requirements-airflow3-lean.in" >&2
}

ensure_venv2() {
  [ -x "$venv2/bin/airflow" ] && return 0
  local python
  python=$(python311)
  log "building the Airflow 2.11.0 virtualenv in $venv2 (a few minutes)"
  "$python" -m venv "$venv2"
  "$venv2/bin/pip" install -q -U pip >&2
  "$venv2/bin/pip" install -q apache-airflow==2.11.0 cryptography==43.0.3 >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Whether server $1 (af3|af2) is alive.
running() {
  local pid_file="$state_dir/$1.pid"
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# The environment of server $1 on port $2, as a sourceable file $state_dir/$1.env.
write_server_env() {
  local name="$1" port="$2" home="$state_dir/$1"
  {
    echo "export AIRFLOW_HOME=$home"
    echo "export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sqlite:///$home/airflow.db"
    echo "export AIRFLOW__CORE__LOAD_EXAMPLES=False"
    echo "export AIRFLOW__CORE__FERNET_KEY=$fernet_key"
    echo "export AIRFLOW__LOGGING__BASE_LOG_FOLDER=$home/logs"
    # SQLite's busy wait, 20 s instead of Python's 5 s: see write_connect_args.
    echo "export AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS=strata_test_sqlite.CONNECT_ARGS"
    echo "export AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS_ASYNC=strata_test_sqlite.CONNECT_ARGS"
    if [ "$name" = af3 ]; then
      echo "export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin,viewer:viewer"
      echo "export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=$home/simple_auth_manager_passwords.json"
      echo "export AIRFLOW__API_AUTH__JWT_SECRET=$jwt_secret"
      echo "export AIRFLOW__API__SECRET_KEY=$webserver_secret"
      echo "export AIRFLOW__API__BASE_URL=http://127.0.0.1:$port"
      echo "export AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=$port"
      echo "export AIRFLOW__API__WORKERS=1"
    else
      echo "export AIRFLOW__API__AUTH_BACKENDS=airflow.providers.fab.auth_manager.api.auth.backend.basic_auth"
      echo "export AIRFLOW__WEBSERVER__SECRET_KEY=$webserver_secret"
      echo "export AIRFLOW__WEBSERVER__BASE_URL=http://127.0.0.1:$port"
      echo "export AIRFLOW__WEBSERVER__WEB_SERVER_HOST=127.0.0.1 AIRFLOW__WEBSERVER__WEB_SERVER_PORT=$port"
      echo "export AIRFLOW__WEBSERVER__WORKERS=1"
      # No rolling worker restarts (each one starts a second worker for a while).
      echo "export AIRFLOW__WEBSERVER__WORKER_REFRESH_BATCH_SIZE=0"
      echo "export AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE=False"
    fi
  } >"$state_dir/$name.env"
}

# The connect arguments the servers and their CLI give SQLite, as a module in
# $AIRFLOW_HOME/config (on Airflow's sys.path before the ORM is set up): a 20 s busy wait
# instead of Python's 5 s, for the `airflow` CLI the tests run while a server writes, on two
# busy cores. It does not cure Airflow 3's api-server of freezing under concurrent writes (its
# audit log commits on the event loop and can wait on a lock whose holder needs that loop; the
# wait then lasts this whole timeout), so the tests write to a server one at a time
# (Tests/AirflowAPITests/Support/AirflowServerTurn.swift).
write_connect_args() {
  mkdir -p "$1/config"
  printf 'CONNECT_ARGS = {"timeout": 20}\n' >"$1/config/strata_test_sqlite.py"
}

# Runs the `airflow` CLI of server $1 with that server's environment; output goes to its log.
airflow_cli() {
  local name="$1" bin
  shift
  if [ "$name" = af3 ]; then bin="$venv3/bin/airflow"; else bin="$venv2/bin/airflow"; fi
  # shellcheck disable=SC1090
  (source "$state_dir/$name.env" && timeout 300 "$bin" "$@") >>"$state_dir/$name.log" 2>&1 ||
    { log "'airflow $*' failed for $name; see $state_dir/$name.log"; return 1; }
}

# Polls $1 (a URL answering 200 once the server serves requests) for server $2.
wait_ready() {
  local url="$1" name="$2" deadline=$((SECONDS + ready_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    running "$name" || { log "the $name server exited; see $state_dir/$name.log"; return 1; }
    sleep 0.5
  done
  log "the $name server did not answer $url within ${ready_seconds}s; see $state_dir/$name.log"
  return 1
}

# Puts the SQLite database $1 in write-ahead-log mode (a setting stored in the file). In the
# default rollback-journal mode a reader blocks a writer's commit, and the tests read and write
# one database from two api-servers and the `airflow` CLI at once; in WAL readers never block it
# (writers still take turns: write_connect_args).
use_wal() {
  python3 -c 'import sqlite3, sys
mode = sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL").fetchone()[0]
sys.exit(mode != "wal")' "$1" || { log "could not put $1 in WAL mode"; return 1; }
}

# Starts server $1 in its own session (so stop can end the whole process group).
launch() {
  local name="$1"
  shift
  # shellcheck disable=SC1090
  (source "$state_dir/$name.env" && cd "$state_dir/$name" && exec setsid "$@" </dev/null >>"$state_dir/$name.log" 2>&1) &
  echo $! >"$state_dir/$name.pid"
}

start_af3() {
  local port home="$state_dir/af3"
  port=$(free_port)
  rm -rf "$home" && mkdir -p "$home"
  : >"$state_dir/af3.log"
  write_server_env af3 "$port"
  write_connect_args "$home"
  # Pre-set passwords: SimpleAuthManager only generates one for users missing from this file.
  echo '{"admin": "admin", "viewer": "viewer"}' >"$home/simple_auth_manager_passwords.json"
  airflow_cli af3 db migrate
  use_wal "$home/airflow.db"
  launch af3 "$venv3/bin/airflow" api-server --apps core --host 127.0.0.1 --port "$port" --workers 1
  echo "$port" >"$state_dir/af3.port"
}

start_af2() {
  local port home="$state_dir/af2"
  port=$(free_port)
  rm -rf "$home" && mkdir -p "$home"
  : >"$state_dir/af2.log"
  write_server_env af2 "$port"
  write_connect_args "$home"
  airflow_cli af2 db migrate
  # Creates the default FAB roles (Viewer, User, Op); `db migrate` leaves only Admin to come.
  airflow_cli af2 sync-perm
  airflow_cli af2 users create --username admin --password admin --role Admin \
    --firstname Strata --lastname Admin --email admin@example.invalid
  airflow_cli af2 users create --username viewer --password viewer --role Viewer \
    --firstname Strata --lastname Viewer --email viewer@example.invalid
  use_wal "$home/airflow.db"
  launch af2 "$venv2/bin/airflow" webserver --hostname 127.0.0.1 --port "$port" --workers 1
  echo "$port" >"$state_dir/af2.port"
}

# A second Airflow 3 api-server on af3's database with connection testing enabled.
start_af3t() {
  local port
  port=$(free_port)
  mkdir -p "$state_dir/af3t"
  : >"$state_dir/af3t.log"
  {
    cat "$state_dir/af3.env"
    echo "export AIRFLOW__CORE__TEST_CONNECTION=Enabled"
    echo "export AIRFLOW__API__BASE_URL=http://127.0.0.1:$port AIRFLOW__API__PORT=$port"
  } >"$state_dir/af3t.env"
  launch af3t "$venv3/bin/airflow" api-server --apps core --host 127.0.0.1 --port "$port" --workers 1
  echo "$port" >"$state_dir/af3t.port"
}

# Confirms that admin gets a token from /auth/token and that it opens /api/v2/connections.
check_af3() {
  local url="http://127.0.0.1:$(cat "$state_dir/af3.port")" token
  token=$(curl -fsS -m 10 -X POST "$url/auth/token" -H 'Content-Type: application/json' \
    -d '{"username": "admin", "password": "admin"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])') ||
    { log "POST $url/auth/token failed; see $state_dir/af3.log"; return 1; }
  curl -fsS -m 10 -o /dev/null -H "Authorization: Bearer $token" "$url/api/v2/connections" ||
    { log "GET $url/api/v2/connections with a token failed; see $state_dir/af3.log"; return 1; }
}

check_af2() {
  local url="http://127.0.0.1:$(cat "$state_dir/af2.port")"
  curl -fsS -m 10 -o /dev/null -u admin:admin "$url/api/v1/connections" ||
    { log "GET $url/api/v1/connections with basic auth failed; see $state_dir/af2.log"; return 1; }
}

drop_env_lines() {
  [ -f "$env_file" ] || return 0
  grep -v -E '^export STRATA_TEST_AIRFLOW[23]_' "$env_file" >"$env_file.tmp" || true
  mv "$env_file.tmp" "$env_file"
}

write_env() {
  local port3 port2 port3t
  port3=$(cat "$state_dir/af3.port")
  port2=$(cat "$state_dir/af2.port")
  port3t=$(cat "$state_dir/af3t.port")
  touch "$env_file"
  drop_env_lines
  {
    echo "export STRATA_TEST_AIRFLOW3_API_URL=http://127.0.0.1:$port3 STRATA_TEST_AIRFLOW3_API_USER=admin STRATA_TEST_AIRFLOW3_API_PASSWORD=admin"
    echo "export STRATA_TEST_AIRFLOW3_API_VIEWER=viewer STRATA_TEST_AIRFLOW3_API_VIEWER_PASSWORD=viewer"
    echo "export STRATA_TEST_AIRFLOW3_TESTING_API_URL=http://127.0.0.1:$port3t"
    echo "export STRATA_TEST_AIRFLOW3_HOME=$state_dir/af3 STRATA_TEST_AIRFLOW3_BIN=$venv3/bin/airflow STRATA_TEST_AIRFLOW3_ENV=$state_dir/af3.env"
    echo "export STRATA_TEST_AIRFLOW2_API_URL=http://127.0.0.1:$port2 STRATA_TEST_AIRFLOW2_API_USER=admin STRATA_TEST_AIRFLOW2_API_PASSWORD=admin"
    echo "export STRATA_TEST_AIRFLOW2_API_VIEWER=viewer STRATA_TEST_AIRFLOW2_API_VIEWER_PASSWORD=viewer"
    echo "export STRATA_TEST_AIRFLOW2_HOME=$state_dir/af2 STRATA_TEST_AIRFLOW2_BIN=$venv2/bin/airflow STRATA_TEST_AIRFLOW2_ENV=$state_dir/af2.env"
  } >>"$env_file"
  echo "airflow-api.sh: Airflow 3.3.2 API on 127.0.0.1:$port3, Airflow 2.11.0 API on 127.0.0.1:$port2; STRATA_TEST_AIRFLOW{3,2}_* written to $env_file"
}

# Ends server $1: its whole process group (uvicorn or gunicorn workers included).
stop_server() {
  local name="$1" pid_file="$state_dir/$1.pid" pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}

case "$action" in
  start)
    mkdir -p "$state_dir"
    chmod 700 "$state_dir"
    ensure_venv3
    ensure_venv2
    # The two set-ups (migration, users) run side by side; each server then starts in background.
    pids=()
    if ! running af3; then stop_server af3; start_af3 & pids+=($!); fi
    if ! running af2; then stop_server af2; start_af2 & pids+=($!); fi
    failed=0
    for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" || failed=1; done
    [ "$failed" = 0 ] || exit 1
    # Started once af3's database is migrated (it shares it).
    if ! running af3t; then stop_server af3t; start_af3t; fi
    wait_ready "http://127.0.0.1:$(cat "$state_dir/af3.port")/api/v2/monitor/health" af3
    wait_ready "http://127.0.0.1:$(cat "$state_dir/af2.port")/health" af2
    wait_ready "http://127.0.0.1:$(cat "$state_dir/af3t.port")/api/v2/monitor/health" af3t
    check_af3
    check_af2
    write_env
    ;;
  stop)
    stop_server af3t
    stop_server af3
    stop_server af2
    rm -rf "$state_dir"
    drop_env_lines
    echo "airflow-api.sh: stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
