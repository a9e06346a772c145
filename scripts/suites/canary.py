#!/usr/bin/env python3
"""Canary suite: plants a unique canary in every secret-bearing place of every tier and every
backend credential (valid values, malformed neighbours, unreachable servers), runs every command
without --reveal and a scripted TUI session, and fails on any canary found in stdout, stderr, the
TUI screen, its byte stream, its log or the operations log.

Positive controls keep it honest: the same places read with --reveal (and `x` in the TUI) must
show their canaries, so a canary that was never planted cannot pass as "not leaked".

Needs the servers scripts/services/*.sh start (moto, OpenBao, the GCP/Azure doubles) and a
built binary ($BIN, default .build/debug/strata). Prints findings by place label, never a value.
"""
import base64
import json
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

FIXTURES = os.environ.get("STRATA_FIXTURES", os.path.join(os.path.dirname(harness.ROOT), "shared", "fixtures"))
LOCAL_FILES = "airflow.secrets.local_filesystem.LocalFilesystemBackend"
VAULT = "airflow.providers.hashicorp.secrets.vault.VaultBackend"
SECRETS_MANAGER = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
PARAMETER_STORE = "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
GCP = "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend"
AZURE = "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend"


class Canaries:
    """Every planted canary, by the label of its place; `revealed` ones must show with --reveal."""

    def __init__(self):
        self.places = {}
        self.revealed = {}

    def make(self, label, deployment=None):
        token = "qz" + secrets.token_hex(7)
        self.places[token] = label
        if deployment:
            self.revealed.setdefault(deployment, []).append(token)
        return token

    def add(self, label, token):
        """A secret the suite did not choose (a server's own credential) that must stay hidden."""
        if token and len(token) >= 8:
            self.places[token] = label

    def found_in(self, data):
        text = data.decode("utf-8", "replace").lower() if isinstance(data, bytes) else data.lower()
        return [label for token, label in self.places.items() if token.lower() in text]


def yaml_string(value):
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value)


def write_workspace(path, deployments):
    lines = ["deployments:"]
    for d in deployments:
        lines.append("  - name: %s" % yaml_string(d["name"]))
        for key in ("airflow", "metastore", "project"):
            if key in d:
                lines.append("    %s: %s" % (key, yaml_string(d[key]) if isinstance(d[key], str) else d[key]))
        if d.get("timeouts"):
            lines.append("    timeouts: {%s}" % ", ".join("%s: %s" % item for item in d["timeouts"].items()))
        if "env_files" in d:
            lines.append("    env_files: [%s]" % ", ".join(yaml_string(f) for f in d["env_files"]))
        if d.get("api"):
            lines.append("    api:")
            for name, value in d["api"].items():
                lines.append("      %s: %s" % (name, yaml_string(value) if isinstance(value, str) else json.dumps(value)))
        if d.get("env"):
            lines.append("    env:")
            for name, value in d["env"].items():
                lines.append("      %s: %s" % (name, yaml_string(value)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def plant_files(c, root):
    """Environment, .env file, local-files backend, SQLite metastore and an Astro project."""
    name = "files"
    env = {
        "AIRFLOW_VAR_ENV_PLAIN": c.make("env variable", name),
        "AIRFLOW_VAR_ENV_JSONISH": json.dumps({"password": c.make("env variable holding JSON", name)}),
        "AIRFLOW_CONN_ENV_URI": "postgres://etl:%s@db.example.com:5432/a" % c.make("env URI password", name),
        "AIRFLOW_CONN_ENV_BRACKET": "postgres://etl:pa[%s]ss@db.example.com/a" % c.make("env URI password with brackets"),
        "AIRFLOW_CONN_ENV_QUERY": "http://api.example.com/?token=%s" % c.make("env URI extra in the query"),
        "AIRFLOW_CONN_ENV_JSON": json.dumps({"conn_type": "http", "host": "api.example.com",
                                              "password": c.make("env JSON password", name),
                                              "extra": {"api_token": c.make("env JSON sensitive extra")}}),
        "AIRFLOW_CONN_ENV_BADJSON": '{"conn_type": "http", "password": "%s", ' % c.make("env broken JSON"),
        "AIRFLOW_CONN_ENV_BADPORT": "postgres://etl:%s@db.example.com:99999/a" % c.make("env URI with a bad port"),
        "AIRFLOW_CONN_ENV_SLASH": "postgres://etl:pa%%2F%s@db.example.com/a" % c.make("env URI encoded password", name),
    }
    with open(os.path.join(root, "files.env"), "w") as f:
        f.write("AIRFLOW_VAR_DOTENV_VAR=%s\n" % c.make("dotenv variable", name))
        f.write("AIRFLOW_CONN_DOTENV_BAD='mysql://u:x[%s]y@db.example.com/d'\n" % c.make("dotenv URI with brackets"))
        f.write("AIRFLOW_CONN_DOTENV_OK='mysql://u:%s@db.example.com/d'\n" % c.make("dotenv URI password", name))

    with open(os.path.join(root, "lf-vars.json"), "w") as f:
        json.dump({"LF_VAR": c.make("local-files variable", name),
                   "LF_VAR_OBJECT": {"nested": c.make("local-files variable as an object")}}, f)
    with open(os.path.join(root, "lf-conns.json"), "w") as f:
        json.dump({
            "lf_conn": {"conn_type": "postgres", "host": "db.example.com", "login": "etl",
                        "password": c.make("local-files JSON password", name),
                        "extra": {"api_key": c.make("local-files sensitive extra")}},
            "lf_uri": "postgres://u:%s@db.example.com/d" % c.make("local-files URI password", name),
        }, f)

    # Airflow fails a whole local-files file on one bad entry, so the bad one gets a file (and a
    # deployment) of its own, and the good files above stay readable for the positive controls.
    with open(os.path.join(root, "lf-bad.json"), "w") as f:
        json.dump({"lf_bad": "postgres://u:p[%s]q@db.example.com/d" % c.make("local-files URI with brackets"),
                   "lf_fine": "postgres://u:%s@db.example.com/d" % c.make("local-files URI beside a broken one")}, f)

    fixture = os.path.join(FIXTURES, "metastore")
    database = os.path.join(root, "airflow.db")
    shutil.copy(os.path.join(fixture, "airflow-3.3.2.sqlite"), database)
    with open(os.path.join(fixture, "expected.json")) as f:
        key = json.load(f)["fernet"]["K_NEW"]
    from cryptography.fernet import Fernet
    fernet = Fernet(key.encode())

    def enc(text):
        return fernet.encrypt(text.encode()).decode()

    db = sqlite3.connect(database)
    db.execute("INSERT INTO variable (key, val, description, is_encrypted) VALUES (?, ?, ?, 1)",
               ("MS_VAR", enc(c.make("metastore variable", name)), "planted by the canary suite"))
    db.execute("INSERT INTO variable (key, val, description, is_encrypted) VALUES (?, ?, ?, 0)",
               ("MS_CLEAR_VAR", c.make("metastore clear-text variable", name), None))
    db.execute("INSERT INTO connection (conn_id, conn_type, host, login, password, extra, is_encrypted, is_extra_encrypted)"
               " VALUES (?, 'postgres', 'db.example.com', 'etl', ?, ?, 1, 1)",
               ("ms_conn", enc(c.make("metastore password", name)), enc(json.dumps({"token": c.make("metastore extra")}))))
    db.execute("INSERT INTO connection (conn_id, conn_type, host, password, extra, is_encrypted, is_extra_encrypted)"
               " VALUES (?, 'http', 'db.example.com', ?, ?, 1, 1)",
               ("ms_bad_extra", enc("x"), enc('{"token": "%s", ' % c.make("metastore broken extra"))))
    db.execute("INSERT INTO connection (conn_id, conn_type, host, password, is_encrypted, is_extra_encrypted)"
               " VALUES (?, 'http', 'db.example.com', ?, 0, 0)",
               ("ms_clear_conn", c.make("metastore clear-text password", name)))
    db.commit()
    db.close()
    c.add("the Fernet key", key)

    env.update({
        "AIRFLOW__SECRETS__BACKEND": LOCAL_FILES,
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({
            "variables_file_path": os.path.join(root, "lf-vars.json"),
            "connections_file_path": os.path.join(root, "lf-conns.json")}),
        "AIRFLOW__CORE__FERNET_KEY": key,
    })
    deployments = [{"name": name, "airflow": 3, "env_files": ["files.env"], "env": env,
                    "metastore": "sqlite:///" + database}]

    # The same shapes in YAML and .env local files, on Airflow 2.
    with open(os.path.join(root, "lf-vars.yaml"), "w") as f:
        f.write("LF_YAML_VAR: %s\n" % yaml_string(c.make("local-files YAML variable", "files-yaml")))
    with open(os.path.join(root, "lf-conns.env"), "w") as f:
        f.write("lf_env_conn=postgres://u:%s@db.example.com/d\n" % c.make("local-files .env URI password", "files-yaml"))
    deployments.append({"name": "files-yaml", "airflow": 2, "env": {
        "AIRFLOW__SECRETS__BACKEND": LOCAL_FILES,
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({
            "variables_file_path": os.path.join(root, "lf-vars.yaml"),
            "connections_file_path": os.path.join(root, "lf-conns.env")})}})

    deployments.append({"name": "files-broken", "airflow": 3, "env": {
        "AIRFLOW__SECRETS__BACKEND": LOCAL_FILES,
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({"connections_file_path": os.path.join(root, "lf-bad.json")})}})
    with open(os.path.join(root, "lf-bad.env"), "w") as f:
        f.write("lf_env_bad=postgres://u:x[%s]y@db.example.com/d\n" % c.make("local-files .env URI with brackets"))
    deployments.append({"name": "files-broken-env", "airflow": 2, "env": {
        "AIRFLOW__SECRETS__BACKEND": LOCAL_FILES,
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({"connections_file_path": os.path.join(root, "lf-bad.env")})}})

    # An Astro project: .env and airflow_settings.yaml (what `astro dev start` loads).
    project = os.path.join(root, "astro")
    os.makedirs(os.path.join(project, ".astro"))
    with open(os.path.join(project, ".env"), "w") as f:
        f.write("AIRFLOW_VAR_ASTRO_ENV=%s\n" % c.make("Astro project .env variable", "astro"))
    with open(os.path.join(project, "airflow_settings.yaml"), "w") as f:
        f.write("airflow:\n  connections:\n")
        f.write("    - conn_id: astro_conn\n      conn_type: postgres\n      conn_host: db.example.com\n"
                "      conn_login: etl\n      conn_password: %s\n      conn_extra:\n        token: %s\n"
                % (yaml_string(c.make("airflow_settings password", "astro")), yaml_string(c.make("airflow_settings extra"))))
        f.write("    - conn_id: astro_bad\n      conn_uri: %s\n"
                % yaml_string("postgres://u:x[%s]y@db.example.com/d" % c.make("airflow_settings URI with brackets")))
        f.write("  variables:\n    - variable_name: astro_var\n      variable_value: %s\n"
                % yaml_string(c.make("airflow_settings variable", "astro")))
    deployments.append({"name": "astro", "project": project})
    return deployments


def vault_call(s, method, path, body=None):
    status, reply = harness.http(method, "%s/v1/%s" % (s["STRATA_TEST_VAULT_ADDR"], path), body,
                                 {"X-Vault-Token": s["STRATA_TEST_VAULT_TOKEN"]})
    if status >= 300:
        raise RuntimeError("OpenBao %s %s answered HTTP %d" % (method, path, status))
    return reply


def plant_vault(c, s):
    name = "vault"
    mount = "canary" + secrets.token_hex(4)
    vault_call(s, "POST", "sys/mounts/" + mount, {"type": "kv", "options": {"version": "2"}})
    token = c.make("Vault token")
    vault_call(s, "POST", "auth/token/create", {"id": token, "policies": ["root"], "ttl": "1h"})

    def put(path, data):
        vault_call(s, "POST", "%s/data/%s" % (mount, path), {"data": data})

    put("variables/vault_var", {"value": c.make("Vault variable", name)})
    put("connections/vault_conn", {"conn_uri": "postgres://u:%s@db.example.com/d" % c.make("Vault URI password", name)})
    put("connections/vault_fields", {"conn_type": "http", "host": "api.example.com",
                                     "password": c.make("Vault field password", name),
                                     "extra": json.dumps({"api_key": c.make("Vault field extra")})})
    put("connections/vault_bad", {"conn_uri": "postgres://u:x[%s]y@db.example.com/d" % c.make("Vault URI with brackets")})
    kwargs = {"url": s["STRATA_TEST_VAULT_ADDR"], "token": token, "mount_point": mount, "kv_engine_version": 2}
    down = "127.0.0.1:1"
    return [
        {"name": name, "env": {"AIRFLOW__SECRETS__BACKEND": VAULT, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(kwargs)}},
        {"name": "vault-url-slash", "env": {"AIRFLOW__SECRETS__BACKEND": VAULT, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({
            "url": "https://admin:pa/%s@%s" % (c.make("Vault url credentials with a slash"), down),
            "token": c.make("Vault token of an unreachable server")})}},
        {"name": "vault-url-hash", "env": {"AIRFLOW__SECRETS__BACKEND": VAULT, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({
            "url": "https://admin:p#%s@%s" % (c.make("Vault url credentials with a hash"), down), "token": "t"})}},
        {"name": "vault-approle", "env": {"AIRFLOW__SECRETS__BACKEND": VAULT, "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({
            "url": "http://" + down, "auth_type": "approle", "role_id": "role",
            "secret_id": c.make("Vault AppRole secret_id")})}},
    ]


def plant_aws(c, s):
    import boto3
    prefix = "canary" + secrets.token_hex(4)
    session = dict(endpoint_url=s["STRATA_TEST_MOTO_URL"], region_name="us-east-1",
                   aws_access_key_id=s["STRATA_TEST_MOTO_ACCESS_KEY_ID"],
                   aws_secret_access_key=s["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"])
    sm = boto3.client("secretsmanager", **session)
    ssm = boto3.client("ssm", **session)
    for secret_name, value in [
        ("connections/sm_conn", "postgres://u:%s@db.example.com/d" % c.make("Secrets Manager URI password", "aws-sm")),
        ("connections/sm_json", json.dumps({"conn_type": "http", "host": "api.example.com",
                                            "password": c.make("Secrets Manager JSON password", "aws-sm"),
                                            "extra": {"token": c.make("Secrets Manager JSON extra")}})),
        ("connections/sm_bad", "postgres://u:x[%s]y@db.example.com/d" % c.make("Secrets Manager URI with brackets")),
        ("variables/sm_var", c.make("Secrets Manager variable", "aws-sm")),
    ]:
        for attempt in range(5):
            try:
                sm.create_secret(Name="%s/%s" % (prefix, secret_name), SecretString=value)
                break
            except Exception:  # moto 5's concurrent-create 500s: try again
                if attempt == 4:
                    raise
    ssm.put_parameter(Name="/%s/connections/ssm_conn" % prefix, Type="SecureString",
                      Value="mysql://u:%s@db.example.com/d" % c.make("SSM URI password", "aws-ssm"))
    ssm.put_parameter(Name="/%s/variables/ssm_var" % prefix, Type="SecureString", Value=c.make("SSM variable", "aws-ssm"))
    c.add("the AWS secret access key", s["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"])
    credentials = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": s["STRATA_TEST_MOTO_ACCESS_KEY_ID"],
                   "AWS_SECRET_ACCESS_KEY": s["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"], "AWS_ENDPOINT_URL": s["STRATA_TEST_MOTO_URL"]}
    return [
        {"name": "aws-sm", "env": dict(credentials, AIRFLOW__SECRETS__BACKEND=SECRETS_MANAGER,
                                       AIRFLOW__SECRETS__BACKEND_KWARGS=json.dumps({
                                           "connections_prefix": prefix + "/connections",
                                           "variables_prefix": prefix + "/variables"}))},
        {"name": "aws-ssm", "env": dict(credentials, AIRFLOW__SECRETS__BACKEND=PARAMETER_STORE,
                                        AIRFLOW__SECRETS__BACKEND_KWARGS=json.dumps({
                                            "connections_prefix": "/%s/connections" % prefix,
                                            "variables_prefix": "/%s/variables" % prefix}))},
        {"name": "aws-down", "env": {
            "AIRFLOW__SECRETS__BACKEND": SECRETS_MANAGER, "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIA" + secrets.token_hex(8).upper(),
            "AWS_SECRET_ACCESS_KEY": c.make("AWS secret key of an unreachable endpoint"),
            "AWS_SESSION_TOKEN": c.make("AWS session token of an unreachable endpoint"),
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1"}},
    ]


def plant_cloud(c, s):
    directory = s["STRATA_CLOUD_DOUBLES_DIR"]
    with open(os.path.join(directory, "gcp.json")) as f:
        gcp = json.load(f)
    with open(os.path.join(directory, "azure.json")) as f:
        azure = json.load(f)
    project = "canary-" + secrets.token_hex(4)
    status, _ = harness.http("POST", gcp["url"] + "/__strata/seed", {"project": project, "secrets": {
        "airflow-variables-gcp_var": c.make("GCP variable", "gcp"),
        "airflow-connections-gcp_conn": "mysql://u:%s@db.example.com/d" % c.make("GCP URI password", "gcp"),
        "airflow-connections-gcp_bad": "mysql://u:x[%s]y@db.example.com/d" % c.make("GCP URI with brackets"),
    }})
    assert status == 200, "seeding the GCP double answered %d" % status
    with open(gcp["service_account_key"]) as f:
        key_text = f.read()
    key_body = json.loads(key_text)["private_key"].split("-----")[2].replace("\n", "")
    c.add("the GCP service account's private key", key_body[40:80])
    fake_key = json.loads(key_text)
    fake_key["private_key"] = "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" % c.make("GCP private key that does not parse")
    vault = "canary" + secrets.token_hex(4)
    status, _ = harness.http("POST", azure["control_url"] + "/__strata/seed", {"vault": vault, "secrets": {
        "airflow-variables-azure-var": c.make("Azure variable", "azure"),
        "airflow-connections-azure-conn": "postgres://u:%s@db.example.com/d" % c.make("Azure URI password", "azure"),
    }})
    assert status == 200, "seeding the Azure double answered %d" % status
    c.add("the Azure client secret", azure["client_secret"])
    prefixes = {"connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables"}
    return [
        {"name": "gcp", "env": {"AIRFLOW__SECRETS__BACKEND": GCP, "STRATA_GCP_SECRET_MANAGER_ENDPOINT": gcp["url"],
                                "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(dict(prefixes, gcp_keyfile_dict=key_text,
                                                                                     project_id=project))}},
        {"name": "gcp-down", "env": {"AIRFLOW__SECRETS__BACKEND": GCP, "STRATA_GCP_SECRET_MANAGER_ENDPOINT": "http://127.0.0.1:1",
                                     "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(dict(prefixes, gcp_keyfile_dict=json.dumps(fake_key),
                                                                                          project_id=project))}},
        {"name": "azure", "env": {
            "AIRFLOW__SECRETS__BACKEND": AZURE, "AZURE_CLIENT_ID": azure["client_id"], "AZURE_TENANT_ID": azure["tenant_id"],
            "AZURE_CLIENT_SECRET": azure["client_secret"], "AZURE_AUTHORITY_HOST": s["STRATA_AZURE_DOUBLE_URL"],
            "REQUESTS_CA_BUNDLE": s["STRATA_AZURE_DOUBLE_CA_FILE"],
            "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(dict(prefixes, vault_url=s["STRATA_AZURE_DOUBLE_URL"] + "/vaults/" + vault,
                                                                 verify_challenge_resource=False))}},
        {"name": "azure-down", "env": {
            "AIRFLOW__SECRETS__BACKEND": AZURE, "AZURE_CLIENT_ID": azure["client_id"], "AZURE_TENANT_ID": azure["tenant_id"],
            "AZURE_CLIENT_SECRET": c.make("Azure client secret of an unreachable authority"),
            "AZURE_AUTHORITY_HOST": "https://127.0.0.1:1",
            "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps(dict(prefixes, vault_url="https://127.0.0.1:1/vaults/x"))}},
        {"name": "postgres-down", "metastore": "postgresql://reader:%s@127.0.0.1:1/airflow" % c.make("metastore URL password"),
         "env": {"AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(b"k" * 32).decode()}},
    ]


def plant_api(c, s):
    """Canaries behind Airflow's REST API: Airflow 3.3.2 masks passwords, sensitive extra keys
    and sensitive variables; Airflow 2.11.0 never returns passwords but shows variables."""
    import base64 as b64
    deployments = []
    for major, prefix_var in ((3, "STRATA_TEST_AIRFLOW3"), (2, "STRATA_TEST_AIRFLOW2")):
        url, user, password = s[prefix_var + "_API_URL"], s[prefix_var + "_API_USER"], s[prefix_var + "_API_PASSWORD"]
        if major == 3:
            status, reply = harness.http("POST", url + "/auth/token", {"username": user, "password": password})
            assert status == 201, "signing in to Airflow 3 answered %d" % status
            auth = {"Authorization": "Bearer " + reply["access_token"]}
            api = url + "/api/v2"
        else:
            auth = {"Authorization": "Basic " + b64.b64encode(("%s:%s" % (user, password)).encode()).decode()}
            api = url + "/api/v1"
        name = "api%d" % major
        tag = "canary" + secrets.token_hex(3)
        for body in ({"connection_id": tag + "_db", "conn_type": "postgres", "host": "db.example.com", "login": "etl",
                      "password": c.make("Airflow %d API connection password" % major),
                      "extra": json.dumps({"token": c.make("Airflow %d API extra token" % major), "region": "eu"})},):
            status, _ = harness.http("POST", api + "/connections", body, headers=auth)
            assert status in (200, 201), "seeding an Airflow %d connection answered %d" % (major, status)
        variables = [(tag + "_plain", c.make("Airflow %d API plain variable" % major, name))]
        variables.append((tag + "_password", c.make("Airflow %d API sensitive variable" % major, name if major == 2 else None)))
        for key, value in variables:
            status, _ = harness.http("POST", api + "/variables", {"key": key, "value": value}, headers=auth)
            assert status in (200, 201), "seeding an Airflow %d variable answered %d" % (major, status)
        # The servers are shared with the Swift tests: only this run's entries are explained one by one.
        # By now they hold every entry those tests left, which Airflow 2's single sync worker
        # pages through slowly on two busy cores: this suite is about leaks, so the deadlines
        # are generous (the deadline suites check the standard ones).
        deployments.append({"name": name, "airflow": major, "env": {"STRATA_TEST_API_PASSWORD": password}, "ids_prefix": tag,
                            "api": {"url": url, "username": user, "password_env": "STRATA_TEST_API_PASSWORD"},
                            "timeouts": {"connect": 10, "request": 30, "tier": 75}})  # under the harness's 90 s per command
    deployments.append({"name": "api-down", "airflow": 3, "env": {"CANARY_API_TOKEN": c.make("API token of an unreachable server")},
                        "api": {"url": "http://127.0.0.1:1", "token_env": "CANARY_API_TOKEN"}})
    return deployments


def ids_of(run):
    """(kind, id) of every entry in a `list --json` answer."""
    try:
        entries = json.loads(run.stdout)
    except ValueError:
        return []
    return [(e.get("kind"), e.get("id")) for e in entries if isinstance(e, dict) and e.get("id")]


def commands_for(name, entries):
    d = ["-d", name]
    out = [["list"] + d, ["list", "--json"] + d, ["list", "--vars"] + d, ["list", "--conns"] + d,
           ["backend"] + d, ["backend", "--json"] + d, ["compare"] + d, ["compare", "--json"] + d,
           ["compare", "--only", "problems"] + d, ["lint"] + d, ["lint", "--json"] + d]
    for kind, ident in entries:
        flag = "--var" if kind == "variable" else "--conn"
        out += [["explain", ident, flag] + d, ["explain", ident, flag, "--json"] + d,
                ["explain", ident, flag, "--context", "worker"] + d]
    if entries:
        out.append(["backend", "--id", entries[0][1]] + d)
    return out


def tui_session(c, report, workspace, names):
    """Walks every deployment's list, detail, editor, comparison and operations log, masked."""
    log = tempfile.mktemp(prefix="strata-canary-tui-", suffix=".log")
    tui = harness.Tmux("'%s' --workspace '%s'" % (harness.BIN, workspace),
                       dict(harness.BASE_ENV, STRATA_TUI_LOG=log))
    try:
        report.check("TUI: first frame", tui.wait_for("Variables & connections", 60))
        for name in names:
            tui.keys(":")
            tui.keys("deployment " + name, literal=True)
            tui.keys("Enter")
            tui.wait_for("▶ " + name, 20)
            tui.keys("3")
            tui.keys("g")
            for _ in range(24):
                tui.keys("j")
                tui.screen()
            tui.keys("g")
            tui.keys("e")
            tui.screen()
            tui.keys("Escape")
            tui.keys("G")
            tui.keys("e")
            tui.screen()
            tui.keys("Escape")
            tui.keys("c")
            tui.screen()
            tui.keys("Escape")
            # The copy picker and plan of every marked entry: names and actions, never a value.
            tui.keys("*")
            tui.keys("C")
            tui.screen()
            tui.keys("Enter")
            tui.screen()
            tui.keys("Escape")
            tui.keys("Escape")
            tui.keys("u")
        tui.keys("@")
        tui.screen()
        tui.keys("Escape")
        tui.keys("q")
        report.check("TUI: quits cleanly", tui.wait_for("EXIT=0", 20))
        leaking = [index for index, screen in enumerate(tui.screens) if c.found_in(screen)]
        leaks = set(label for screen in tui.screens for label in c.found_in(screen))
        report.check("TUI: none of %d screens holds a canary" % len(tui.screens), not leaks,
                     "%d screens show %s" % (len(leaking), ", ".join(sorted(leaks))))
        leaks = c.found_in(tui.stream_bytes())
        report.check("TUI byte stream holds no canary", not leaks, ", ".join(sorted(set(leaks))))
        report.check("TUI byte stream was recorded", len(tui.stream_bytes()) > 1000)
        log_text = open(log, "rb").read() if os.path.exists(log) else b""
        report.check("TUI log was written", len(log_text) > 0)
        leaks = c.found_in(log_text)
        report.check("TUI log holds no canary", not leaks, ", ".join(sorted(set(leaks))))
    finally:
        tui.close()
    # Positive control: `x` shows a planted value, so the screens above could have shown one.
    tui = harness.Tmux("'%s' --workspace '%s' -d files" % (harness.BIN, workspace), dict(harness.BASE_ENV, STRATA_TUI_LOG=log))
    try:
        tui.wait_for("Variables & connections", 60)
        tui.keys("/")
        tui.keys("ENV_PLAIN", literal=True)
        tui.keys("Enter")
        # The typed filter shows at once; the listed row (its id in lower case) only once the
        # tiers have loaded, which a busy machine can take seconds to do.
        tui.wait_for("env_plain", 60)
        tui.keys("x")
        tui.wait_for("qz", 20)
        screen = tui.screen()
        # On failure the screen holds no canary (that is the failure), so it is safe to show.
        report.check("TUI positive control: x reveals a planted canary", bool(c.found_in(screen)), "\n" + screen)
        tui.keys("q")
    finally:
        tui.close()
        if os.path.exists(log):
            os.unlink(log)


def main():
    s = harness.services()
    report = harness.Report("canary")
    c = Canaries()
    root = tempfile.mkdtemp(prefix="strata-canary-")
    try:
        deployments = plant_files(c, root) + plant_vault(c, s) + plant_aws(c, s) + plant_cloud(c, s) + plant_api(c, s)
        workspace = os.path.join(root, "strata.yaml")
        write_workspace(workspace, deployments)
        names = [d["name"] for d in deployments]
        prefixes = {d["name"]: d["ids_prefix"] for d in deployments if "ids_prefix" in d}

        runs = [harness.strata(["deployments"], workspace), harness.strata(["deployments", "--json"], workspace),
                harness.strata(["lint", "--all-deployments"], workspace),
                harness.strata(["lint", "--all-deployments", "--json"], workspace),
                harness.strata(["compare", "--deployments", "files,vault"], workspace),
                harness.strata(["compare", "--deployments", "aws-sm,gcp,azure", "--json"], workspace)]
        for name in names:
            revealed = harness.strata(["list", "--json", "--reveal", "-d", name], workspace)
            report.check("%s: list --reveal runs" % name, not revealed.crashed, "exit %s" % revealed.code)
            shown = set(c.found_in(revealed.stdout))
            for token in c.revealed.get(name, []):
                report.check("%s: --reveal shows %s (positive control)" % (name, c.places[token]), c.places[token] in shown)
            entries = [e for e in ids_of(revealed) if name not in prefixes or str(e[1]).startswith(prefixes[name])]
            for args in commands_for(name, entries):
                runs.append(harness.strata(args, workspace))
        # Writes and plans: values given on stdin, never echoed back.
        new_value = c.make("value given to set on stdin")
        runs.append(harness.strata(["set", "var", "NEW_VAR", "-", "--tier", "env", "-d", "files", "--dry-run"], workspace,
                                   stdin=new_value.encode()))
        runs.append(harness.strata(["set", "var", "NEW_VAR", "-", "--tier", "metastore", "-d", "files"], workspace,
                                   stdin=new_value.encode()))
        runs.append(harness.strata(["set", "conn", "new_conn", "--uri", "-", "--tier", "env", "-d", "files", "--dry-run"],
                                   workspace, stdin=("postgres://u:%s@db.example.com/d" % c.make("URI given to set")).encode()))
        runs.append(harness.strata(["set", "conn", "ms_conn", "--field", "password=-", "--tier", "metastore", "-d", "files",
                                    "--output", "json"], workspace, stdin=c.make("password given to set").encode()))
        runs.append(harness.strata(["rm", "var", "ENV_PLAIN", "--tier", "env", "-d", "files", "--confirm", "ENV_PLAIN",
                                    "--dry-run"], workspace))
        # Bulk copies: every deployment's resolved values planned into another tier (names, reasons
        # and notes from every backend, never a value), and one copy applied.
        for name in names:
            runs.append(harness.strata(["copy", "--from", name, "--to", "files:metastore", "--dry-run"], workspace))
            runs.append(harness.strata(["copy", "--from", name, "--to", "files:metastore", "--dry-run", "--output", "json",
                                        "--on-conflict", "overwrite"], workspace))
        runs.append(harness.strata(["copy", "--from", "env", "--to", "metastore", "-d", "files", "--yes",
                                    "--on-conflict", "overwrite"], workspace))
        runs.append(harness.strata(["copy", "--from", "metastore", "--to", "env", "-d", "files", "--yes", "--output", "json",
                                    "--on-conflict", "skip"], workspace))
        # Exports put values in a 0600 file, never on the terminal without --reveal; an import
        # of that file plans and writes it back masked.
        exported = os.path.join(root, "canary-export.json")
        runs.append(harness.strata(["export", "--conns", "--format", "json", "--output", exported, "-d", "files"], workspace))
        runs.append(harness.strata(["export", "--vars", "--format", "yaml", "-d", "files"], workspace))
        runs.append(harness.strata(["export", "--format", "astro", "--output", os.path.join(root, "airflow_settings.yaml"),
                                    "-d", "files"], workspace))
        runs.append(harness.strata(["import", exported, "--conns", "--tier", "metastore", "-d", "files", "--dry-run"], workspace))
        runs.append(harness.strata(["import", exported, "--conns", "--tier", "env", "-d", "files", "--yes", "--on-conflict",
                                    "overwrite", "--output", "json"], workspace))
        runs.append(harness.strata(["list", "--json", "-d", "files"], workspace))

        for run in runs:
            report.check("%s: no crash" % run.label(), not run.crashed, "exit %s after %.1f s" % (run.code, run.seconds))
            leaks = c.found_in(run.stdout + b"\n" + run.stderr)
            report.check("%s: no canary in its output" % run.label(), not leaks, ", ".join(sorted(set(leaks))))
        slowest = max(runs, key=lambda run: run.seconds)
        print("canary: slowest command %.1f s (%s)" % (slowest.seconds, slowest.label()))
        tui_session(c, report, workspace, names)
        print("canary: %d canaries planted in %d deployments; %d commands and a TUI session over every deployment"
              % (len(c.places), len(names), len(runs)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
