"""Shared plumbing for Strata's black-box suites (canary, injection): run the real binary,
drive the TUI in a private tmux server, and look through everything it printed or logged.

Nothing here prints a planted secret: findings are reported by the label of the place that
leaked, never by the value.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("BIN", os.path.join(ROOT, ".build", "debug", "strata"))
BASE_ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": "/nonexistent-home",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "SWIFT_BACKTRACE": "interactive=no",
    "TERM": "xterm-256color",
}


def services():
    """The addresses scripts/services/*.sh exported to $STRATA_SERVICES_ENV, over os.environ."""
    path = os.environ.get("STRATA_SERVICES_ENV", "/tmp/strata-services.env")
    if not os.path.exists(path):
        return dict(os.environ)
    dump = subprocess.run(["bash", "-c", 'source "$1" && env -0', "env", path], capture_output=True, check=True).stdout
    values = {}
    for item in dump.split(b"\0"):
        if b"=" in item:
            name, value = item.split(b"=", 1)
            values[name.decode()] = value.decode()
    return values


class Run:
    """One finished command: argv, exit code, output and how long it took."""

    def __init__(self, argv, code, stdout, stderr, seconds):
        self.argv, self.code, self.stdout, self.stderr, self.seconds = argv, code, stdout, stderr, seconds

    @property
    def crashed(self):
        # A negative code is a signal; 128+ is the shell's way of saying the same.
        return self.code is None or self.code < 0 or self.code >= 128

    def label(self):
        return " ".join(self.argv[1:])


def strata(args, workspace, stdin=b"", env=None, timeout=90):
    """Runs the real binary with a clean environment and returns a Run."""
    argv = [BIN] + list(args)
    if workspace and "--workspace" not in args and args[:1] not in (["uri"], ["demo"]):
        argv += ["--workspace", workspace]
    full_env = dict(BASE_ENV)
    full_env.update(env or {})
    start = time.monotonic()
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, env=full_env, timeout=timeout)
        return Run(argv, done.returncode, done.stdout, done.stderr, time.monotonic() - start)
    except subprocess.TimeoutExpired as expired:
        return Run(argv, None, expired.stdout or b"", expired.stderr or b"", time.monotonic() - start)


def http(method, url, body=None, headers=None, timeout=10):
    """A small JSON HTTP call to a test server; returns (status, parsed body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            text = reply.read()
            return reply.status, (json.loads(text) if text.strip() else {})
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, {}


class Tmux:
    """The TUI in a private tmux server: keys in, screens and the raw byte stream out."""

    count = 0

    def __init__(self, command, env, width=140, height=40):
        # A server of its own per session: a new session on the socket of one just killed can
        # meet that server still exiting ("server exited unexpectedly").
        Tmux.count += 1
        self.socket = "strata-suite-%d-%d" % (os.getpid(), Tmux.count)
        self.session = "suite"
        self.dir = tempfile.mkdtemp(prefix="strata-tmux-")
        self.stream = os.path.join(self.dir, "stream.bin")
        self.screens = []
        env_args = []
        for name, value in env.items():
            env_args += ["-e", "%s=%s" % (name, value)]
        self._tmux(["-u", "new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height)] + env_args
                   + [command + "; echo EXIT=$?; sleep 60"])
        # Everything the program writes to its terminal, byte for byte.
        self._tmux(["pipe-pane", "-o", "-t", self.session, "cat >> '%s'" % self.stream])

    def _tmux(self, args):
        return subprocess.run(["tmux", "-L", self.socket] + args, capture_output=True, timeout=20)

    def screen(self):
        text = self._tmux(["capture-pane", "-p", "-t", self.session]).stdout.decode("utf-8", "replace")
        self.screens.append(text)
        return text

    def keys(self, *keys, literal=False):
        self._tmux(["send-keys", "-t", self.session] + (["-l"] if literal else []) + list(keys))
        time.sleep(0.15)

    def wait_for(self, text, seconds=15):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.screen():
                return True
            time.sleep(0.1)
        return False

    def stream_bytes(self):
        try:
            with open(self.stream, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def close(self):
        self._tmux(["kill-server"])
        shutil.rmtree(self.dir, ignore_errors=True)


class Report:
    """Counts checks and prints the plain closing line scripts/test reads."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, label, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s%s" % (label, (": " + detail) if detail else ""))

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        return 0 if self.failed == 0 else 1
