#!/usr/bin/env python3
"""Ask a real Airflow 3 triggerer which tier answers each connection and variable lookup.

Run with the Python of an Airflow 3 virtualenv. The caller's environment is the deployment's
(AIRFLOW_CONN_*, AIRFLOW_VAR_*, AIRFLOW__SECRETS__BACKEND, AIRFLOW__WORKERS__SECRETS_BACKEND
and their kwargs); this script adds only a private AIRFLOW_HOME and metadata database.

    airflow-triggerer-probe.py SPEC.json

SPEC.json:
    {"work_dir": "...",                       # empty directory of the caller's
     "source_db": "/path/airflow.db" | null,  # a migrated SQLite database to copy, else migrate
     "metastore_connections": {"id": "uri"},
     "metastore_variables": {"key": "value"},
     "connections": ["id", ...], "variables": ["key", ...],
     "timeout_seconds": 240}

It stores the metastore rows, queues a deadline-style TriggererCallback (the path Airflow uses
for async deadline callbacks) whose coroutine looks every id up the ways trigger code does,
runs `airflow triggerer` until the callback finishes, and prints one line, STRATA-PROBE-RESULT
and a JSON object (or {"error": "..."}):

    {"context": {...facts about the trigger runner process...},
     "connections": {"id": {"aget_connection": {"found": true, "host": "..."}, ...}},
     "variables": {"key": {"sync_to_async": {"found": true, "value": "..."}, ...}}}

Only hosts and variable values are reported (tests give them tier names); never passwords.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

CALLBACK_MODULE = "strata_triggerer_probe_callback"

# The coroutine the triggerer runs. It reports the process facts that pick Airflow's search
# path (see docs/triggerer-lookup.md) and the outcome of each lookup style.
CALLBACK_SOURCE = textwrap.dedent('''
    import json
    import os

    from asgiref.sync import sync_to_async


    def _outcome(fetch):
        try:
            return {"found": True, **fetch()}
        except Exception as error:  # the exception's type only: messages can carry values
            return {"found": False, "error": type(error).__name__}


    async def _aoutcome(fetch):
        try:
            return {"found": True, **(await fetch())}
        except Exception as error:
            return {"found": False, "error": type(error).__name__}


    async def probe(connections, variables):
        from airflow.sdk import BaseHook, Connection, Variable
        from airflow.sdk.execution_time import task_runner
        from airflow.sdk.execution_time.supervisor import ensure_secrets_backend_loaded

        backends = ensure_secrets_backend_loaded()
        facts = {
            "process_context": os.environ.get("_AIRFLOW_PROCESS_CONTEXT"),
            "supervisor_comms": getattr(task_runner, "SUPERVISOR_COMMS", None) is not None,
            "search_path": [type(b).__module__ + "." + type(b).__name__ for b in backends],
            "backend_kwargs": [getattr(b, "_connections_file", None) or getattr(b, "connections_file", None)
                               for b in backends],
        }
        report = {"context": facts, "connections": {}, "variables": {}}
        for conn_id in connections:
            async def via_aget(conn_id=conn_id):
                conn = await BaseHook.aget_connection(conn_id)
                return {"host": conn.host, "class": type(conn).__module__}
            async def via_thread(conn_id=conn_id):
                conn = await sync_to_async(Connection.get)(conn_id)
                return {"host": conn.host, "class": type(conn).__module__}
            def in_loop(conn_id=conn_id):
                # A sync call straight from the coroutine: Airflow bridges it with greenback.
                conn = BaseHook.get_connection(conn_id)
                return {"host": conn.host, "class": type(conn).__module__}
            report["connections"][conn_id] = {
                "aget_connection": await _aoutcome(via_aget),
                "sync_to_async": await _aoutcome(via_thread),
                "sync_in_loop": _outcome(in_loop),
            }
        for key in variables:
            async def var_thread(key=key):
                return {"value": await sync_to_async(Variable.get)(key)}
            def var_in_loop(key=key):
                return {"value": Variable.get(key)}
            report["variables"][key] = {
                "sync_to_async": await _aoutcome(var_thread),
                "sync_in_loop": _outcome(var_in_loop),
            }
        return json.dumps(report)
''')


# Airflow logs to stdout too; the answer is the one line that starts with this marker.
MARKER = "STRATA-PROBE-RESULT "


def fail(message: str) -> None:
    print(MARKER + json.dumps({"error": message}))
    sys.exit(1)


def main() -> None:
    if len(sys.argv) != 2:
        fail("usage: airflow-triggerer-probe.py SPEC.json")
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    work = spec["work_dir"]
    home = os.path.join(work, "airflow-home")
    modules = os.path.join(work, "modules")
    os.makedirs(home, exist_ok=True)
    os.makedirs(modules, exist_ok=True)
    with open(os.path.join(modules, CALLBACK_MODULE + ".py"), "w", encoding="utf-8") as handle:
        handle.write(CALLBACK_SOURCE)
    database = os.path.join(home, "airflow.db")

    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": home,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "sqlite:///" + database,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": os.path.join(home, "dags"),
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": os.path.join(home, "logs"),
        "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
        "PYTHONPATH": modules + os.pathsep + env.get("PYTHONPATH", ""),
    })
    env.setdefault("AIRFLOW__CORE__FERNET_KEY", "")
    airflow = os.path.join(os.path.dirname(sys.executable), "airflow")
    deadline = time.monotonic() + float(spec.get("timeout_seconds", 240))

    source = spec.get("source_db")
    if source:
        # The backup API copies a live WAL database consistently; a file copy would not.
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(database) as dst:
            src.backup(dst)
            # The copy is private: start with no connections or variables but the spec's.
            dst.execute("DELETE FROM connection")
            dst.execute("DELETE FROM variable")
    else:
        done = subprocess.run([airflow, "db", "migrate"], env=env, capture_output=True,
                              timeout=max(1.0, deadline - time.monotonic()))
        if done.returncode != 0:
            fail("airflow db migrate failed")

    # Everything below talks to the private database through Airflow's own models.
    os.environ.update(env)
    sys.path.insert(0, modules)
    from airflow.models.callback import TriggererCallback
    from airflow.models.connection import Connection
    from airflow.models.variable import Variable
    from airflow.utils.session import create_session

    class CallbackDefinition:
        path = CALLBACK_MODULE + ".probe"
        kwargs = {"connections": spec.get("connections", []), "variables": spec.get("variables", [])}

        def serialize(self):
            return {"path": self.path, "kwargs": self.kwargs}

    with create_session() as session:
        for conn_id, uri in spec.get("metastore_connections", {}).items():
            session.add(Connection(conn_id=conn_id, uri=uri))
        for key, value in spec.get("metastore_variables", {}).items():
            session.add(Variable(key=key, val=value))
        callback = TriggererCallback(CallbackDefinition())
        callback.queue(session=session)
        session.add(callback)
        session.flush()
        callback_id = callback.id

    log_path = os.path.join(work, "triggerer.log")
    with open(log_path, "wb") as log:
        triggerer = subprocess.Popen([airflow, "triggerer", "--skip-serve-logs"], env=env,
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    output = None
    state = None
    try:
        while time.monotonic() < deadline:
            if triggerer.poll() is not None:
                break
            with create_session() as session:
                row = session.get(TriggererCallback, callback_id)
                state, output = row.state, row.output
            if state in ("success", "failed"):
                break
            time.sleep(0.5)
    finally:
        if triggerer.poll() is None:
            os.killpg(triggerer.pid, signal.SIGTERM)
            try:
                triggerer.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(triggerer.pid, signal.SIGKILL)
                triggerer.wait()
    if state != "success" or output is None:
        fail(f"the triggerer did not finish the probe callback (state {state!r}, "
             f"triggerer exit {triggerer.returncode}); its log is {log_path}")
    print(MARKER + (output if isinstance(output, str) else json.dumps(output)))


if __name__ == "__main__":
    main()
