#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL 15 server for the metastore tests.
#   scripts/services/postgres.sh start   # idempotent; writes STRATA_TEST_POSTGRES_URL to $STRATA_SERVICES_ENV
#   scripts/services/postgres.sh stop
# The cluster lives in $STRATA_POSTGRES_DIR (default /tmp/strata-postgres), listens on a free
# loopback port with password (scram) authentication and TLS (self-signed), and runs as the
# `postgres` system user when started by root (PostgreSQL refuses to run as root).
set -euo pipefail

action="${1:-start}"
state_dir="${STRATA_POSTGRES_DIR:-/tmp/strata-postgres}"
data_dir="$state_dir/data"
env_file="${STRATA_SERVICES_ENV:-/tmp/strata-services.env}"
user_name="strata"
user_password="strata-test-password"
database="airflow"

find_bin() {
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

install_postgres() {
  echo "postgres.sh: installing PostgreSQL (Debian package postgresql)" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

# Runs a command as the server's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

write_env() {
  local port="$1"
  local url="postgresql://$user_name:$user_password@127.0.0.1:$port/$database"
  touch "$env_file"
  grep -v '^export STRATA_TEST_POSTGRES_URL=' "$env_file" > "$env_file.tmp" || true
  echo "export STRATA_TEST_POSTGRES_URL=$url" >> "$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
  echo "postgres.sh: PostgreSQL ready on 127.0.0.1:$port (STRATA_TEST_POSTGRES_URL written to $env_file)"
}

running() {
  [ -f "$data_dir/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1
}

bin="$(find_bin || true)"
if [ -z "$bin" ] && [ "$action" = start ]; then
  install_postgres
  bin="$(find_bin)"
fi
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$state_dir" --shell /usr/sbin/nologin postgres
else
  owner="$(id -un)"
fi

case "$action" in
  start)
    if [ -n "$bin" ] && running; then
      write_env "$(cat "$state_dir/port")"
      exit 0
    fi
    rm -rf "$state_dir"
    mkdir -p "$state_dir"
    printf '%s\n' "$user_password" > "$state_dir/pwfile"
    [ "$(id -u)" = 0 ] && chown -R "$owner" "$state_dir"
    chmod 700 "$state_dir"
    as_owner "$bin/initdb" -D "$data_dir" -U "$user_name" --pwfile="$state_dir/pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$state_dir/initdb.log" 2>&1 \
      || { cat "$state_dir/initdb.log" >&2; exit 1; }
    rm -f "$state_dir/pwfile"
    if command -v openssl >/dev/null; then
      as_owner openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" \
        -keyout "$data_dir/server.key" -out "$data_dir/server.crt" >/dev/null 2>&1
      as_owner chmod 600 "$data_dir/server.key"
      echo "ssl = on" >> "$data_dir/postgresql.conf"
    fi
    port="$(free_port)"
    echo "$port" > "$state_dir/port"
    as_owner "$bin/pg_ctl" -D "$data_dir" -l "$state_dir/server.log" -w -t 30 \
      -o "-p $port -k $state_dir -c listen_addresses=127.0.0.1" start >/dev/null \
      || { cat "$state_dir/server.log" >&2; exit 1; }
    PGPASSWORD="$user_password" "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user_name" -d postgres -qtA \
      -c "CREATE DATABASE $database" >/dev/null
    write_env "$port"
    ;;
  stop)
    if [ -n "$bin" ] && [ -f "$data_dir/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$state_dir"
    if [ -f "$env_file" ]; then
      grep -v '^export STRATA_TEST_POSTGRES_URL=' "$env_file" > "$env_file.tmp" || true
      mv "$env_file.tmp" "$env_file"
    fi
    echo "postgres.sh: stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
