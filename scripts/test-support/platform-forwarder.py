#!/usr/bin/env python3
"""A stand-in for the managed platforms' front doors, for Strata's tests: it checks what a
client sends the way the platform would, then forwards to a real Airflow REST API below.

  POST /restapi/<Name>   Amazon MWAA InvokeRestApi. The SigV4 signature (service "airflow") is
                         recomputed with botocore and compared; the envelope must hold Path,
                         Method and, when present, QueryParameters and Body as JSON objects.
                         Answers 200 {"RestApiStatusCode", "RestApiResponse"}, or 400 with
                         x-amzn-ErrorType RestApiClientException/RestApiServerException as MWAA does.
  POST /token            A Google OAuth token endpoint: a JWT-bearer grant whose RS256 assertion
                         verifies with --google-public-key gets a fresh access token.
  /api/v1/..., /api/v2/  Cloud Composer's web server: the bearer token must be one /token issued.

Run: platform-forwarder.py --port P --upstream URL --upstream-version 1|2 --user U --password PW
     --aws-access-key AK --aws-secret-key SK --region R --environment NAME --google-public-key PEM
Every refusal is also appended to --log, so a test can say why a request failed.
"""
import argparse, base64, http.server, json, secrets, sys, threading, time, urllib.parse, urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

args = None
issued = set()
lock = threading.Lock()
jwt_cache = {}


def log(message):
    with open(args.log, "a") as f:
        f.write(message + "\n")


def upstream(method, path, query, body):
    """Calls the real Airflow API as the admin user; returns (status, parsed JSON or None)."""
    prefix = "/api/v1" if args.upstream_version == "1" else "/api/v2"
    url = args.upstream + prefix + path
    if query:
        url += "?" + urllib.parse.urlencode(query, doseq=True)
    headers = {"Accept": "application/json"}
    if args.upstream_version == "1":
        headers["Authorization"] = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()
    else:
        headers["Authorization"] = "Bearer " + airflow_jwt()
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, {"detail": raw.decode("utf-8", "replace")[:500]}


def airflow_jwt():
    with lock:
        if "token" not in jwt_cache:
            request = urllib.request.Request(args.upstream + "/auth/token", method="POST",
                                             data=json.dumps({"username": args.user, "password": args.password}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                jwt_cache["token"] = json.load(response)["access_token"]
        return jwt_cache["token"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, payload, headers=None):
        body = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, status, error_type, message):
        log(f"{self.command} {self.path}: {error_type}: {message}")
        self.reply(status, {"message": message}, {"x-amzn-ErrorType": error_type})

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self):
        if self.path.startswith("/restapi/"):
            return self.mwaa()
        if self.path == "/token":
            return self.token()
        return self.composer()

    def do_GET(self):
        self.composer()

    do_PATCH = do_DELETE = do_GET

    # MWAA

    def mwaa(self):
        raw = self.body()
        name = urllib.parse.unquote(self.path[len("/restapi/"):])
        problem = self.check_signature(raw)
        if problem:
            return self.refuse(403, "InvalidSignatureException", problem)
        if name != args.environment:
            return self.refuse(404, "ResourceNotFoundException", f"Environment {name} not found")
        try:
            envelope = json.loads(raw)
        except ValueError:
            return self.refuse(400, "ValidationException", "the body is not JSON")
        path, method = envelope.get("Path"), envelope.get("Method")
        query, body = envelope.get("QueryParameters"), envelope.get("Body")
        if not isinstance(path, str) or not path.startswith("/") or method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            return self.refuse(400, "ValidationException", "Path and Method are required")
        if query is not None and not isinstance(query, dict) or body is not None and not isinstance(body, dict):
            return self.refuse(400, "ValidationException", "QueryParameters and Body must be JSON objects")
        extra = set(envelope) - {"Path", "Method", "QueryParameters", "Body"}
        if extra:
            return self.refuse(400, "ValidationException", f"unknown members {sorted(extra)}")
        status, payload = upstream(method, path, query, body)
        envelope = {"RestApiStatusCode": status, "RestApiResponse": payload if payload is not None else {}}
        if status < 400:
            return self.reply(200, envelope)
        kind = "RestApiServerException" if status >= 500 else "RestApiClientException"
        self.reply(400, envelope, {"x-amzn-ErrorType": kind})

    def check_signature(self, raw):
        authorization = self.headers.get("Authorization", "")
        if not authorization.startswith("AWS4-HMAC-SHA256 "):
            return "no SigV4 Authorization header"
        fields = dict(part.strip().split("=", 1) for part in authorization[len("AWS4-HMAC-SHA256 "):].split(","))
        credential = fields.get("Credential", "").split("/")
        if len(credential) != 5 or credential[0] != args.aws_access_key:
            return "unknown access key"
        if credential[2] != args.region or credential[3] != "airflow" or credential[4] != "aws4_request":
            return f"wrong scope {'/'.join(credential[1:])}"
        signed = fields.get("SignedHeaders", "").split(";")
        if "host" not in signed or "x-amz-date" not in signed:
            return "host and x-amz-date must be signed"
        headers = {name: self.headers.get(name) for name in signed if self.headers.get(name) is not None}
        request = AWSRequest(method="POST", url=f"http://{self.headers.get('Host')}{self.path}", data=raw, headers=headers)
        amz_date = self.headers.get("X-Amz-Date", "")
        request.context["timestamp"] = amz_date
        token = self.headers.get("X-Amz-Security-Token")
        auth = SigV4Auth(Credentials(args.aws_access_key, args.aws_secret_key, token), "airflow", args.region)
        canonical = auth.canonical_request(request)
        expected = auth.signature(auth.string_to_sign(request, canonical), request)
        if fields.get("Signature") != expected:
            return "The request signature we calculated does not match the signature you provided"
        skew = abs(time.time() - time.mktime(time.strptime(amz_date, "%Y%m%dT%H%M%SZ")) + time.timezone)
        if skew > 900:
            return "Signature expired"
        return None

    # Google

    def token(self):
        form = urllib.parse.parse_qs(self.body().decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"] or "assertion" not in form:
            log("token: not a JWT-bearer grant")
            return self.reply(400, {"error": "unsupported_grant_type"})
        try:
            header, claims, signature = form["assertion"][0].split(".")
            key = serialization.load_pem_public_key(open(args.google_public_key, "rb").read())
            pad = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
            key.verify(pad(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
            if json.loads(pad(claims)).get("exp", 0) < time.time():
                raise ValueError("expired")
        except Exception as error:  # noqa: BLE001 - any failure is a refused grant
            log(f"token: bad assertion ({type(error).__name__})")
            return self.reply(400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
        token = "ya29." + secrets.token_urlsafe(24)
        with lock:
            issued.add(token)
        self.reply(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def composer(self):
        raw = self.body()
        authorization = self.headers.get("Authorization", "")
        with lock:
            known = authorization.startswith("Bearer ") and authorization[len("Bearer "):] in issued
        if not known:
            log(f"{self.command} {self.path}: bearer token not issued here")
            return self.reply(401, {"detail": "Not authenticated"})
        parsed = urllib.parse.urlsplit(self.path)
        prefix = "/api/v1" if args.upstream_version == "1" else "/api/v2"
        if not parsed.path.startswith(prefix):
            return self.reply(404, {"detail": "Not Found"})
        query = urllib.parse.parse_qs(parsed.query)
        body = json.loads(raw) if raw else None
        status, payload = upstream(self.command, parsed.path[len(prefix):], query, body)
        self.reply(status, payload)


def main():
    global args
    parser = argparse.ArgumentParser()
    for option in ("port", "upstream", "upstream-version", "user", "password", "aws-access-key", "aws-secret-key",
                   "region", "environment", "google-public-key", "log"):
        parser.add_argument("--" + option, required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args.port)), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
