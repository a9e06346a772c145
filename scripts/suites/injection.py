#!/usr/bin/env python3
"""Injection suite: ids, values, hosts, descriptions and deployment names carrying ESC/CSI/OSC,
C1 controls, bidi overrides, NUL, CR, BS and very long lines, in every tier; runs every command
(masked and revealed, text and JSON, errors included) and a TUI session, and fails on any raw
control byte in text output, on any hostile sequence in the TUI's byte stream, and on any raw
control byte in the TUI log.

Needs OpenBao and moto from scripts/services/*.sh and a built binary ($BIN).
"""
import json
import os
import re
import secrets
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# Each payload ends in a marker, so a raw sequence in the TUI's stream (where ncurses writes its
# own escapes) can be told from Strata's inert rendering of it ("\x1b[31mINJA" as text).
PAYLOADS = {
    "csi": "\x1b[31mINJA",
    "osc": "\x1b]0;INJB\x07",
    "c1": "\u009b31mINJC",
    "bidi": "\u202eINJD",
    "nul": "\x00INJE",
    "cr": "\rINJF",
    "bs": "\x08INJG",
    "isolate": "\u2066INJI",
}
LONG = "L" * 20000 + "INJH"
# What must never appear raw in a text output (C0 but \t and \n, DEL, C1, bidi, line separators).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]")


def hostile(tag, allow_nul=True):
    return {name: "%s-%s" % (tag, payload) for name, payload in PAYLOADS.items() if allow_nul or name != "nul"}


def plant(root, s):
    deployments = []
    # Local files: ids, values, hosts and descriptions.
    variables = {}
    connections = {}
    for name, text in hostile("lfv").items():
        variables["var_" + name + text] = "value " + text
    variables["var_long"] = LONG
    for name, text in hostile("lfc").items():
        connections["conn_" + name + text] = {"conn_type": "postgres", "host": "h" + text, "login": "l" + text,
                                              "schema": "s" + text, "description": "d" + text, "password": "p" + text}
    with open(os.path.join(root, "vars.json"), "w") as f:
        json.dump(variables, f)
    with open(os.path.join(root, "conns.json"), "w") as f:
        json.dump(connections, f)
    env = {"AIRFLOW__SECRETS__BACKEND": "airflow.secrets.local_filesystem.LocalFilesystemBackend",
           "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({"variables_file_path": os.path.join(root, "vars.json"),
                                                          "connections_file_path": os.path.join(root, "conns.json")}),
           "AIRFLOW__CORE__FERNET_KEY": ""}
    for name, text in hostile("env").items():
        env["AIRFLOW_VAR_ENV_" + name.upper()] = text
        env["AIRFLOW_CONN_ENVC_" + name.upper()] = "postgres://u:p@h%s/d" % text.replace("\x00", "%00")
    env["AIRFLOW_VAR_ENV_LONG"] = LONG
    with open(os.path.join(root, "hostile.env"), "wb") as f:
        f.write(b"AIRFLOW_VAR_DOTENV_CR=\"a\rINJF\"\n")
        f.write(b"AIRFLOW_VAR_DOTENV_ESC=\x1b[31mINJA\n")
        f.write(("AIRFLOW_VAR_DOTENV_BIDI=\u202eINJD\n").encode())

    database = os.path.join(root, "airflow.db")
    fixtures = os.environ.get("STRATA_FIXTURES", os.path.join(os.path.dirname(harness.ROOT), "shared", "fixtures"))
    shutil.copy(os.path.join(fixtures, "metastore", "airflow-3.3.2-nofernet.sqlite"), database)
    db = sqlite3.connect(database)
    for name, text in hostile("ms").items():
        db.execute("INSERT INTO variable (key, val, description, is_encrypted) VALUES (?, ?, ?, 0)",
                   ("msv_" + name + text, "v" + text, "d" + text))
        db.execute("INSERT INTO connection (conn_id, conn_type, host, description, login, is_encrypted, is_extra_encrypted)"
                   " VALUES (?, 'http', ?, ?, ?, 0, 0)", ("msc_" + name + text, "h" + text, "d" + text, "l" + text))
    db.commit()
    db.close()
    deployments.append({"name": "files", "env": env, "env_files": ["hostile.env"], "metastore": "sqlite:///" + database})

    # Deployment names themselves.
    deployments.append({"name": "dep-osc\x1b]0;INJB\x07", "env": {"AIRFLOW_VAR_X": "1"}})
    deployments.append({"name": "dep-bidi\u202eINJD", "env": {"AIRFLOW_VAR_X": "1"}})

    # Vault: hostile secret names and hosts.
    mount = "inject" + secrets.token_hex(4)
    headers = {"X-Vault-Token": s["STRATA_TEST_VAULT_TOKEN"]}
    addr = s["STRATA_TEST_VAULT_ADDR"]
    harness.http("POST", "%s/v1/sys/mounts/%s" % (addr, mount), {"type": "kv", "options": {"version": "2"}}, headers)
    import urllib.parse
    for name, text in hostile("vault", allow_nul=False).items():
        path = urllib.parse.quote("variables/vv_%s%s" % (name, text), safe="/")
        harness.http("POST", "%s/v1/%s/data/%s" % (addr, mount, path), {"data": {"value": "v" + text}}, headers)
        harness.http("POST", "%s/v1/%s/data/connections/vc_%s" % (addr, mount, name),
                     {"data": {"conn_uri": "http://u:p@h%s/d" % urllib.parse.quote(text)}}, headers)
    deployments.append({"name": "vault", "env": {
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.hashicorp.secrets.vault.VaultBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({"url": addr, "token": s["STRATA_TEST_VAULT_TOKEN"],
                                                        "mount_point": mount})}})

    # Secrets Manager: hostile values (names are limited by the service).
    import boto3
    prefix = "inject" + secrets.token_hex(4)
    sm = boto3.client("secretsmanager", endpoint_url=s["STRATA_TEST_MOTO_URL"], region_name="us-east-1",
                      aws_access_key_id=s["STRATA_TEST_MOTO_ACCESS_KEY_ID"],
                      aws_secret_access_key=s["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"])
    for name, text in hostile("sm", allow_nul=False).items():
        sm.create_secret(Name="%s/variables/smv_%s" % (prefix, name), SecretString="v" + text)
        sm.create_secret(Name="%s/connections/smc_%s" % (prefix, name),
                         SecretString=json.dumps({"conn_type": "http", "host": "h" + text, "description": "d" + text}))
    deployments.append({"name": "aws", "env": {
        "AIRFLOW__SECRETS__BACKEND": "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend",
        "AIRFLOW__SECRETS__BACKEND_KWARGS": json.dumps({"connections_prefix": prefix + "/connections",
                                                        "variables_prefix": prefix + "/variables"}),
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": s["STRATA_TEST_MOTO_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": s["STRATA_TEST_MOTO_SECRET_ACCESS_KEY"], "AWS_ENDPOINT_URL": s["STRATA_TEST_MOTO_URL"]}})
    return deployments


def yaml_string(value):
    # YAML double-quoted scalars take JSON's escapes, but not a raw control or a NUL.
    return json.dumps(value)


def write_workspace(path, deployments):
    lines = ["deployments:"]
    for d in deployments:
        lines.append("  - name: %s" % yaml_string(d["name"]))
        if "metastore" in d:
            lines.append("    metastore: %s" % yaml_string(d["metastore"]))
        if "env_files" in d:
            lines.append("    env_files: [%s]" % ", ".join(yaml_string(f) for f in d["env_files"]))
        lines.append("    env:")
        for name, value in d["env"].items():
            lines.append("      %s: %s" % (yaml_string(name), yaml_string(value)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def unsafe_in(data):
    text = data.decode("utf-8", "replace")
    return sorted(set("U+%04X" % ord(ch) for ch in UNSAFE.findall(text)))


def main():
    s = harness.services()
    report = harness.Report("injection")
    root = tempfile.mkdtemp(prefix="strata-inject-")
    try:
        deployments = plant(root, s)
        workspace = os.path.join(root, "strata.yaml")
        write_workspace(workspace, deployments)
        runs = [harness.strata(["deployments"], workspace), harness.strata(["deployments", "--json"], workspace),
                harness.strata(["list", "-d", "no-such\x1b]0;INJB\x07\u202eINJD"], workspace),
                harness.strata(["list", "--bogus\x1b[31mINJA"], workspace),
                harness.strata(["explain", "missing\x1b[31mINJA\u202eINJD", "--var"], workspace),
                harness.strata(["set", "var", "k\x1b]0;INJB\x07", "v\x1b[31mINJA", "--tier", "env", "--dry-run"], workspace),
                harness.strata(["lint", "--all-deployments"], workspace),
                harness.strata(["compare", "--deployments", "files,vault,aws"], workspace)]
        cases = 0
        for d in deployments:
            name = ["-d", d["name"]]
            for args in (["list"], ["list", "--reveal"], ["list", "--json", "--reveal"], ["compare"], ["compare", "--json"],
                         ["lint"], ["lint", "--json"], ["backend"]):
                runs.append(harness.strata(args + name, workspace))
            # A bulk copy plans every hostile id (its name in each tier, refusals, notes).
            runs.append(harness.strata(["copy", "--from", d["name"], "--to", "files:metastore", "--dry-run",
                                        "--on-conflict", "overwrite"], workspace))
            listed = harness.strata(["list", "--json"] + name, workspace)
            try:
                entries = json.loads(listed.stdout)
            except ValueError:
                entries = []
            cases += len(entries)
            for entry in entries:
                if "\x00" in entry["id"]:
                    continue  # a command line cannot carry a NUL
                flag = "--var" if entry.get("kind") == "variable" else "--conn"
                runs.append(harness.strata(["explain", entry["id"], flag, "--reveal"] + name, workspace))
        for run in runs:
            report.check("%r: no crash" % run.label()[:80], not run.crashed, "exit %s" % run.code)
            bad = unsafe_in(run.stdout) + unsafe_in(run.stderr)
            report.check("%r: no raw control character in its output" % run.label()[:80], not bad, " ".join(sorted(set(bad))))
        report.check("the hostile ids were listed (positive control)", cases >= 40, "%d entries" % cases)
        print("injection: %d hostile entries in %d deployments, %d commands" % (cases, len(deployments), len(runs)))

        log = os.path.join(root, "tui.log")
        tui = harness.Tmux("'%s' --workspace '%s'" % (harness.BIN, workspace), dict(harness.BASE_ENV, STRATA_TUI_LOG=log))
        try:
            report.check("TUI: first frame", tui.wait_for("Variables & connections", 60))
            for d in deployments:
                if d["name"] in ("files", "vault", "aws"):
                    tui.keys(":")
                    tui.keys("deployment " + d["name"], literal=True)
                    tui.keys("Enter")
                    tui.wait_for("▶ " + d["name"], 20)
                tui.keys("3")
                for _ in range(40):
                    tui.keys("j")
                    tui.keys("x")
                tui.keys("y")
                tui.keys("e")
                tui.keys("Escape")
                tui.keys("c")
                tui.keys("Escape")
                # Mark everything, open the copy picker and the plan of the first destination.
                tui.keys("*")
                tui.keys("C")
                tui.keys("Enter")
                tui.keys("Escape")
                tui.keys("Escape")
                tui.keys("u")
            tui.keys("1")
            tui.keys("j", "j", "Enter")
            tui.keys("@")
            tui.keys("Escape")
            tui.keys("q")
            report.check("TUI: quits cleanly", tui.wait_for("EXIT=0", 20))
            stream = tui.stream_bytes()
            report.check("TUI byte stream was recorded", len(stream) > 1000)
            raw = [name for name, payload in PAYLOADS.items() if payload.encode() in stream]
            report.check("TUI byte stream carries no hostile sequence raw", not raw, ", ".join(raw))
            report.check("TUI byte stream carries no NUL", b"\x00" not in stream)
            report.check("TUI byte stream carries no C1 or bidi control", not re.search(
                "[\u0080-\u009f\u202a-\u202e\u2066-\u2069]", stream.decode("utf-8", "replace")))
            log_bytes = open(log, "rb").read() if os.path.exists(log) else b""
            report.check("TUI log was written", len(log_bytes) > 0)
            bad = unsafe_in(log_bytes)
            report.check("TUI log holds no raw control character", not bad, " ".join(bad))
        finally:
            tui.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
