"""Shared plumbing of Strata's cloud test doubles: a threaded HTTP/1.1 server with keep-alive,
JSON helpers, CRC32C, fault injection and request counting.

The doubles follow the public REST references of the services they stand in for; the
`/__strata/...` control endpoints (seeding data, injecting faults, reading counters) are the
only thing that is not part of those protocols. Nothing here ever logs a token, key or value.
"""
import base64
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def random_token(prefix: str, size: int = 32) -> str:
    return prefix + secrets.token_urlsafe(size)


class Faults:
    """Faults queued by tests: the next `count` matching requests get the fault instead."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []

    def add(self, rule: dict):
        rule.setdefault("count", 1)
        with self.lock:
            self.rules.append(rule)

    def take(self, scope: str, path: str):
        with self.lock:
            for rule in self.rules:
                if rule.get("scope") not in (None, scope):
                    continue
                if rule.get("path_contains") and rule["path_contains"] not in path:
                    continue
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self.rules.remove(rule)
                return dict(rule)
        return None

    def clear(self, scope=None):
        with self.lock:
            self.rules = [r for r in self.rules if scope is not None and r.get("scope") not in (None, scope)]


class Counters:
    """Requests per scope (project or vault) and kind, read by tests and the benchmark."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, scope: str, kind: str):
        with self.lock:
            per = self.counts.setdefault(scope or "-", {})
            per[kind] = per.get(kind, 0) + 1

    def get(self, scope: str):
        with self.lock:
            return dict(self.counts.get(scope or "-", {}))

    def reset(self, scope: str):
        with self.lock:
            self.counts.pop(scope or "-", None)


class Handler(BaseHTTPRequestHandler):
    """Parses the request once, hands it to `self.server.app.handle(req)`, writes the reply."""

    protocol_version = "HTTP/1.1"
    server_version = "StrataCloudDouble/1.0"
    # Headers and body go out in separate writes; without TCP_NODELAY, Nagle's algorithm and
    # delayed ACKs add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # never log request lines (they could carry names only, but keep quiet)
        if os.environ.get("STRATA_DOUBLE_VERBOSE"):
            sys.stderr.write("%s %s\n" % (self.command, urlsplit(self.path).path))

    def _dispatch(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        req = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True), self.headers, body,
                      parts.query)
        try:
            status, headers, payload = self.server.app.handle(req)
        except Exception as exc:  # a bug in the double: answer 500 with the exception type only
            status, headers, payload = 500, {"Content-Type": "text/plain"}, ("double error: %s" % type(exc).__name__).encode()
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload).encode()
            headers = {"Content-Type": "application/json; charset=utf-8", **headers}
        elif isinstance(payload, str):
            payload = payload.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _dispatch


class Request:
    def __init__(self, method, path, query, headers, body, raw_query):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.raw_query = raw_query

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        try:
            value = json.loads(self.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            return None
        return value

    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True).items()}

    def bearer(self):
        value = self.headers.get("Authorization") or ""
        return value[7:].strip() if value.lower().startswith("bearer ") else None


def serve(app, host: str, port: int, ssl_context=None) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.app = app
    if ssl_context is not None:
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_json_atomically(path: str, value: dict):
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        json.dump(value, handle, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def control_common(app, req, scope_key):
    """The control endpoints both doubles share: faults, counters, reset."""
    body = req.json() or {}
    scope = body.get(scope_key)
    if req.path == "/__strata/fault":
        app.faults.add({"scope": scope, "kind": body["kind"], "count": int(body.get("count", 1)),
                        "retry_after": body.get("retry_after"), "path_contains": body.get("path_contains")})
        return 200, {}, {}
    if req.path == "/__strata/stats":
        return 200, {}, app.counters.get(scope)
    if req.path == "/__strata/reset-stats":
        app.counters.reset(scope)
        return 200, {}, {}
    return None


def fault_reply(fault, error_body):
    """The reply for an injected fault, or None for faults the caller handles."""
    kind = fault["kind"]
    if kind == "throttle":
        headers = {}
        if fault.get("retry_after") is not None:
            headers["Retry-After"] = str(fault["retry_after"])
        return 429, headers, error_body(429)
    if kind == "unavailable":
        return 503, {}, error_body(503)
    if kind == "malformed":
        return 200, {"Content-Type": "application/json"}, b"<html><body>upstream proxy error</body></html>"
    if kind == "truncated":
        return 200, {"Content-Type": "application/json"}, b'{"secrets": [{"name": "proj'
    return None


def now() -> int:
    return int(time.time())
