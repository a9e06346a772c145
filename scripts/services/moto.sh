#!/usr/bin/env bash
# Starts or stops a real moto server (AWS Secrets Manager, SSM, STS, IAM) for the AWS tier tests.
#   scripts/services/moto.sh start|stop     (idempotent)
# The server listens on a free loopback port with moto's IAM request authentication switched
# ON: after start-up it creates one IAM user with an allow-all policy, then enables signature
# and policy checks (POST /moto-api/reset-auth 0), so a wrongly signed request fails.
# Writes to $STRATA_SERVICES_ENV (default /tmp/strata-services.env):
#   STRATA_TEST_MOTO_URL, STRATA_TEST_MOTO_ACCESS_KEY_ID, STRATA_TEST_MOTO_SECRET_ACCESS_KEY
set -euo pipefail

action="${1:-}"
state="${STRATA_MOTO_DIR:-/tmp/strata-moto}"
env_file="${STRATA_SERVICES_ENV:-/tmp/strata-services.env}"

alive() { [ -f "$state/moto.pid" ] && kill -0 "$(cat "$state/moto.pid")" 2>/dev/null; }

ensure_moto() {
  command -v python3 >/dev/null || { echo "moto.sh: python3 is required" >&2; exit 1; }
  if ! command -v moto_server >/dev/null || ! python3 -c 'import moto, boto3, flask' 2>/dev/null; then
    echo "moto.sh: installing moto[server]" >&2
    python3 -m pip install --quiet "moto[server]" || pip3 install --quiet "moto[server]"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

drop_env_lines() {
  [ -f "$env_file" ] || return 0
  grep -v -E '^export STRATA_TEST_MOTO_' "$env_file" >"$env_file.tmp" || true
  mv "$env_file.tmp" "$env_file"
}

# Creates the test user and its keys while authentication is still off, then switches it on.
bootstrap() { # url
  python3 - "$1" "$state/keys.env" <<'PY'
import json, sys, urllib.request
import boto3
url, out = sys.argv[1], sys.argv[2]
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam.create_user(UserName="strata-test")
iam.put_user_policy(UserName="strata-test", PolicyName="allow-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="strata-test")["AccessKey"]
request = urllib.request.Request(url + "/moto-api/reset-auth", data=b"0", method="POST",
                                 headers={"Content-Type": "text/plain"})
urllib.request.urlopen(request).read()
with open(out, "w") as f:
    f.write(f"export STRATA_TEST_MOTO_ACCESS_KEY_ID={key['AccessKeyId']}\n")
    f.write(f"export STRATA_TEST_MOTO_SECRET_ACCESS_KEY={key['SecretAccessKey']}\n")
PY
}

write_env() { # url
  touch "$env_file"
  drop_env_lines
  { echo "export STRATA_TEST_MOTO_URL=$1"; cat "$state/keys.env"; } >>"$env_file"
}

case "$action" in
  start)
    if alive && [ -f "$state/url" ] && [ -f "$state/keys.env" ]; then
      write_env "$(cat "$state/url")"
      echo "moto: already running at $(cat "$state/url")"
      exit 0
    fi
    ensure_moto
    mkdir -p "$state"
    chmod 700 "$state"
    rm -f "$state/url" "$state/keys.env"
    port=$(free_port)
    url="http://127.0.0.1:$port"
    # No INITIAL_NO_AUTH_ACTION_COUNT: authentication is switched on explicitly after bootstrap.
    env -u INITIAL_NO_AUTH_ACTION_COUNT nohup moto_server -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 &
    echo $! >"$state/moto.pid"
    for _ in $(seq 1 150); do
      if curl -fsS "$url/moto-api/" >/dev/null 2>&1; then break; fi
      alive || { echo "moto.sh: moto_server exited; see $state/moto.log" >&2; exit 1; }
      sleep 0.1
    done
    curl -fsS "$url/moto-api/" >/dev/null 2>&1 || { echo "moto.sh: moto_server did not answer on $url" >&2; exit 1; }
    bootstrap "$url"
    echo "$url" >"$state/url"
    write_env "$url"
    echo "moto: running at $url with IAM authentication on"
    ;;
  stop)
    if alive; then
      kill "$(cat "$state/moto.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do alive || break; sleep 0.1; done
    fi
    rm -f "$state/moto.pid" "$state/url" "$state/keys.env"
    drop_env_lines
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
