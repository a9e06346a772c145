#!/usr/bin/env bash
# Starts or stops Strata's GCP Secret Manager and Azure Key Vault test doubles (testservers/) on
# loopback, and writes their URLs, CA bundle and credential folder as exports to
# $STRATA_SERVICES_ENV (default /tmp/strata-services.env). Idempotent.
#   scripts/services/cloud-doubles.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
env_file="${STRATA_SERVICES_ENV:-/tmp/strata-services.env}"
state="${STRATA_CLOUD_DOUBLES_DIR:-/tmp/strata-cloud-doubles}"

ensure_python() {
  command -v python3 >/dev/null || { echo "cloud-doubles: python3 is required" >&2; exit 1; }
  if ! python3 -c 'import cryptography' 2>/dev/null; then
    echo "cloud-doubles: installing the Python 'cryptography' package" >&2
    python3 -m pip install --quiet cryptography || pip3 install --quiet cryptography
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_one() { # name script info-file
  local name=$1 script=$2 info=$3
  if alive "$state/$name.pid" && [ -f "$state/$info" ]; then return 0; fi
  rm -f "$state/$info"
  nohup python3 "$root/testservers/$script" --state-dir "$state" >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
  for _ in $(seq 1 100); do
    [ -f "$state/$info" ] && return 0
    alive "$state/$name.pid" || break
    sleep 0.1
  done
  echo "cloud-doubles: $name did not start; see $state/$name.log" >&2
  exit 1
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

write_env() {
  touch "$env_file"
  # Drop earlier lines of ours, keep other services' lines.
  local kept
  kept=$(grep -v -E '^export STRATA_(GCP|AZURE)_DOUBLE_|^export STRATA_CLOUD_DOUBLES_DIR=' "$env_file" || true)
  {
    [ -n "$kept" ] && printf '%s\n' "$kept"
    echo "export STRATA_CLOUD_DOUBLES_DIR=$state"
    echo "export STRATA_GCP_DOUBLE_URL=$(json_field "$state/gcp.json" url)"
    echo "export STRATA_AZURE_DOUBLE_URL=$(json_field "$state/azure.json" url)"
    echo "export STRATA_AZURE_DOUBLE_CA_FILE=$(json_field "$state/azure.json" ca_file)"
  } >"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
}

case "${1:-}" in
  start)
    ensure_python
    mkdir -p "$state"
    chmod 700 "$state"
    start_one gcp gcp_secret_manager.py gcp.json
    start_one azure azure_key_vault.py azure.json
    write_env
    echo "cloud-doubles: GCP at $(json_field "$state/gcp.json" url), Azure at $(json_field "$state/azure.json" url)"
    ;;
  stop)
    for name in gcp azure; do
      if alive "$state/$name.pid"; then kill "$(cat "$state/$name.pid")" 2>/dev/null || true; fi
      rm -f "$state/$name.pid"
    done
    if [ -f "$env_file" ]; then
      grep -v -E '^export STRATA_(GCP|AZURE)_DOUBLE_|^export STRATA_CLOUD_DOUBLES_DIR=' "$env_file" >"$env_file.tmp" || true
      mv "$env_file.tmp" "$env_file"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
