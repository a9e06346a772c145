#!/usr/bin/env python3
"""A protocol-faithful test double of Google Cloud Secret Manager (REST v1), Google's OAuth 2
token endpoint and the GCE metadata server, on one loopback HTTP port.

What it checks, as the real services do (see README.md):
* token endpoint: JWT-bearer grants whose RS256 assertion verifies against the public key of
  the key id it names, whose iss is a known service account, aud is the token endpoint,
  iat/exp form a window of at most one hour around the server's clock, with a scope;
  refresh-token grants of an authorized_user client; Google's error shapes (invalid_grant…).
* metadata server: the Metadata-Flavor: Google header, no X-Forwarded-For.
* Secret Manager: bearer tokens it issued, unexpired, with the cloud-platform scope; IAM
  permissions per project/secret; secret id rule; list paging with opaque page tokens and the
  name: filter; latest-version access with CRC32C; disabled/destroyed versions; addVersion
  checksum verification; secrets.delete (with its optional etag) and the versions' disable,
  enable and destroy; google.rpc error bodies.

Usage: gcp_secret_manager.py --state-dir DIR [--port 0]. Writes DIR/gcp.json with URLs and
credential files once it is listening.
"""
import argparse
import hashlib
import json
import os
import re
import threading
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from doublecore import (Counters, Faults, b64url_decode, b64url_encode, control_common, crc32c, fault_reply,
                        random_token, serve, write_json_atomically)

SCOPE_CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SECRET_ID = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
ALLOWED_SKEW = 300
SHORT_LIVED = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
               "Check your iat and exp values in the JWT claim.")
PERMISSIONS = ("secretmanager.secrets.list", "secretmanager.secrets.create", "secretmanager.secrets.delete",
               "secretmanager.versions.access", "secretmanager.versions.add", "secretmanager.versions.get", "secretmanager.versions.disable",
               "secretmanager.versions.enable", "secretmanager.versions.destroy")
# versions/{v}:verb -> (permission, state it sets)
VERSION_VERBS = {"disable": ("secretmanager.versions.disable", "DISABLED"),
                 "enable": ("secretmanager.versions.enable", "ENABLED"),
                 "destroy": ("secretmanager.versions.destroy", "DESTROYED")}


def google_error(code, status, message):
    return {"error": {"code": code, "message": message, "status": status}}


def error_for_status(code):
    return {
        429: google_error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Access requests' and limit "
                                                     "'Access requests per minute per project'."),
        503: google_error(503, "UNAVAILABLE", "The service is currently unavailable."),
    }.get(code, google_error(code, "UNKNOWN", "error"))


class Project:
    def __init__(self, project_id):
        self.id = project_id
        self.number = str(100000000000 + int(hashlib.sha256(project_id.encode()).hexdigest()[:8], 16))
        self.secrets = {}  # id -> {"create_time", "etag", "versions": [{"data", "state", "create_time", "etag", "corrupt"}]}
        self.denied = set()  # (permission, secret id or "*")
        self.page_size_cap = 25000


class GCPDouble:
    def __init__(self, state_dir, base_url):
        self.base_url = base_url
        self.lock = threading.RLock()
        self.faults = Faults()
        self.counters = Counters()
        self.projects = {}
        self.tokens = {}  # access token -> {"principal", "scopes", "exp"}
        self.token_lifetime = 3599
        self.default_project = "strata-test"
        self.service_accounts = {}  # email -> {key id -> public key}
        key_file, wrong_file = self._make_service_account(state_dir, "strata-reader")
        self.refresh_tokens = {}
        user_file = self._make_authorized_user(state_dir)
        self.files = {"service_account_key": key_file, "wrong_key": wrong_file, "authorized_user": user_file}

    # MARK: credentials

    def _make_service_account(self, state_dir, name):
        email = "%s@%s.iam.gserviceaccount.com" % (name, self.default_project)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_id = hashlib.sha1(os.urandom(16)).hexdigest()
        self.service_accounts[email] = {key_id: key.public_key()}
        wrong = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        paths = []
        for label, private in (("gcp-service-account.json", key), ("gcp-wrong-key.json", wrong)):
            pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode()
            document = {
                "type": "service_account", "project_id": self.default_project, "private_key_id": key_id,
                "private_key": pem, "client_email": email, "client_id": str(int(key_id[:12], 16)),
                "auth_uri": self.base_url + "/o/oauth2/auth", "token_uri": self.base_url + "/token",
                "auth_provider_x509_cert_url": self.base_url + "/oauth2/v1/certs",
                "client_x509_cert_url": self.base_url + "/robot/v1/metadata/x509/" + email,
                "universe_domain": "googleapis.com",
            }
            path = os.path.join(state_dir, label)
            write_json_atomically(path, document)
            paths.append(path)
        return paths

    def _make_authorized_user(self, state_dir):
        client_id = "764086051850-strata.apps.googleusercontent.com"
        client_secret = random_token("d-FL95Q", 18)
        refresh = random_token("1//strata-", 40)
        self.oauth_clients = {client_id: client_secret}
        self.refresh_tokens[refresh] = {"client_id": client_id, "principal": "user:developer@example.com"}
        path = os.path.join(state_dir, "gcp-authorized-user.json")
        write_json_atomically(path, {"type": "authorized_user", "client_id": client_id, "client_secret": client_secret,
                                     "refresh_token": refresh, "quota_project_id": self.default_project,
                                     "token_uri": self.base_url + "/token"})
        return path

    def _issue(self, principal, scopes):
        token = random_token("ya29.strata-")
        with self.lock:
            self.tokens[token] = {"principal": principal, "scopes": set(scopes), "exp": time.time() + self.token_lifetime}
        return {"access_token": token, "expires_in": self.token_lifetime, "token_type": "Bearer"}

    def token_endpoint(self, req):
        if req.method != "POST":
            return 405, {}, {"error": "invalid_request", "error_description": "Method not allowed"}
        content_type = req.headers.get("Content-Type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return 400, {}, {"error": "invalid_request", "error_description": "Bad Request"}
        form = req.form()
        grant = form.get("grant_type")
        if grant == JWT_BEARER:
            return self._jwt_grant(form.get("assertion", ""))
        if grant == "refresh_token":
            client = form.get("client_id")
            if client not in self.oauth_clients or self.oauth_clients[client] != form.get("client_secret"):
                return 401, {}, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
            user = self.refresh_tokens.get(form.get("refresh_token", ""))
            if not user or user["client_id"] != client:
                return 400, {}, {"error": "invalid_grant", "error_description": "Bad Request"}
            return 200, {}, self._issue(user["principal"], [SCOPE_CLOUD_PLATFORM])
        return 400, {}, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: %s" % (grant or "")}

    def _jwt_grant(self, assertion):
        parts = assertion.split(".")
        if len(parts) != 3:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT: Malformed."}
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except ValueError:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT: Malformed."}
        if header.get("alg") != "RS256":
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT: unsupported algorithm."}
        keys = self.service_accounts.get(claims.get("iss"))
        if keys is None:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
        candidates = [keys[header["kid"]]] if header.get("kid") in keys else list(keys.values())
        signed = (parts[0] + "." + parts[1]).encode()
        if not any(self._verifies(key, signature, signed) for key in candidates):
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        if claims.get("aud") != self.base_url + "/token":
            return 400, {}, {"error": "invalid_grant",
                             "error_description": "Invalid JWT: Failed audience check. The right audience is %s/token"
                                                  % self.base_url}
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int) or exp - iat > 3600 or exp <= iat \
                or iat > now + ALLOWED_SKEW or exp < now - ALLOWED_SKEW:
            return 400, {}, {"error": "invalid_grant", "error_description": SHORT_LIVED}
        scopes = (claims.get("scope") or "").split()
        if not scopes:
            return 400, {}, {"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."}
        return 200, {}, self._issue("serviceAccount:" + claims["iss"], scopes)

    @staticmethod
    def _verifies(key, signature, signed):
        try:
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
            return True
        except InvalidSignature:
            return False

    def metadata(self, req):
        headers = {"Metadata-Flavor": "Google"}
        if req.headers.get("Metadata-Flavor") != "Google" or req.headers.get("X-Forwarded-For"):
            return 403, {"Content-Type": "text/html", **headers}, "Missing required header: Metadata-Flavor"
        if req.path == "/computeMetadata/v1/project/project-id":
            return 200, {"Content-Type": "application/text", **headers}, self.default_project
        if req.path == "/computeMetadata/v1/instance/service-accounts/default/token":
            scopes = (req.arg("scopes") or SCOPE_CLOUD_PLATFORM).split(",")
            return 200, headers, self._issue("serviceAccount:workload@%s.iam.gserviceaccount.com" % self.default_project,
                                             scopes)
        if req.path == "/computeMetadata/v1/instance/service-accounts/default/email":
            return 200, {"Content-Type": "application/text", **headers}, "workload@%s.iam.gserviceaccount.com" % self.default_project
        return 404, {"Content-Type": "text/html", **headers}, "Not Found"

    # MARK: Secret Manager

    def project(self, project_ref):
        with self.lock:
            for project in self.projects.values():
                if project_ref in (project.id, project.number):
                    return project
            project = Project(project_ref)
            self.projects[project_ref] = project
            return project

    def api(self, req):
        match = re.match(r"^/v1/projects/([^/]+)/secrets(?:/([^/:]+))?(?:/versions/([^/:]+))?(?::([A-Za-z]+))?$", req.path)
        if not match:
            return 404, {}, google_error(404, "NOT_FOUND", "Requested entity was not found.")
        project_ref, secret_id, version, verb = match.groups()
        project = self.project(project_ref)
        self.counters.add(project.id, self._kind(req.method, secret_id, version, verb))
        fault = self.faults.take(project.id, req.path)
        if fault:
            if fault["kind"] == "revoke":  # the presented token stops working, as after a revocation
                with self.lock:
                    self.tokens.pop(req.bearer() or "", None)
            reply = fault_reply(fault, error_for_status)
            if reply:
                return reply
        token = self.tokens.get(req.bearer() or "")
        if token is None or token["exp"] < time.time():
            return 401, {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'}, \
                google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 "
                                                     "access token, login cookie or other valid authentication credential. "
                                                     "See https://developers.google.com/identity/sign-in/web/devconsole-project.")
        if SCOPE_CLOUD_PLATFORM not in token["scopes"]:
            return 403, {}, google_error(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.")
        if secret_id is not None and not SECRET_ID.match(secret_id):
            return 400, {}, google_error(400, "INVALID_ARGUMENT",
                                         "The provided Secret ID [%s] does not match the expected format [[a-zA-Z_0-9]+]"
                                         % secret_id[:300])
        with self.lock:
            if secret_id is None and verb is None:
                if req.method == "GET":
                    return self._list(req, project)
                if req.method == "POST":
                    return self._create(req, project)
            elif version is not None and verb == "access" and req.method == "GET":
                return self._access(project, secret_id, version)
            elif version is not None and verb is None and req.method == "GET":
                return self._get_version(project, secret_id, version)
            elif version is not None and verb in VERSION_VERBS and req.method == "POST":
                return self._change_version(req, project, secret_id, version, verb)
            elif version is None and verb == "addVersion" and req.method == "POST":
                return self._add_version(req, project, secret_id)
            elif version is None and verb is None and req.method == "GET":
                return self._get_secret(project, secret_id)
            elif version is None and verb is None and req.method == "DELETE":
                return self._delete_secret(req, project, secret_id)
        return 404, {}, google_error(404, "NOT_FOUND", "Requested entity was not found.")

    @staticmethod
    def _kind(method, secret_id, version, verb):
        if verb:
            return verb
        if secret_id is None:
            return "list" if method == "GET" else "create"
        if version is not None:
            return "getVersion"
        return "delete" if method == "DELETE" else "get"

    def _denied(self, project, permission, resource, secret_id="*"):
        if (permission, "*") in project.denied or (permission, secret_id) in project.denied:
            return 403, {}, google_error(403, "PERMISSION_DENIED",
                                         "Permission '%s' denied for resource '%s' (or it may not exist)."
                                         % (permission, resource))
        return None

    def _list(self, req, project):
        denied = self._denied(project, "secretmanager.secrets.list", "projects/%s" % project.id)
        if denied:
            return denied
        try:
            page_size = int(req.arg("pageSize", "0") or 0)
        except ValueError:
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Invalid value at 'page_size' (TYPE_INT32)")
        if page_size < 0:
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "page_size must be non-negative")
        page_size = min(page_size or 25000, 25000, project.page_size_cap)
        filter_text = req.arg("filter", "") or ""
        needle = None
        if filter_text:
            match = re.match(r'^name\s*:\s*"?([A-Za-z0-9_-]*)"?$', filter_text.strip())
            if not match:
                return 400, {}, google_error(400, "INVALID_ARGUMENT", "Invalid filter: %s" % filter_text[:200])
            needle = match.group(1)
        names = sorted(s for s in project.secrets if needle is None or needle in s)
        offset = 0
        token = req.arg("pageToken")
        if token:
            try:
                state = json.loads(b64url_decode(token))
                offset = int(state["o"])
                if state["f"] != filter_text:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                return 400, {}, google_error(400, "INVALID_ARGUMENT", "Invalid page token.")
        page = names[offset:offset + page_size]
        reply = {"secrets": [self._secret_json(project, name) for name in page], "totalSize": len(names)}
        if offset + page_size < len(names):
            reply["nextPageToken"] = b64url_encode(json.dumps({"o": offset + page_size, "f": filter_text}).encode())
        if not page:
            reply.pop("secrets")
        return 200, {}, reply

    def _secret_json(self, project, secret_id):
        secret = project.secrets[secret_id]
        return {"name": "projects/%s/secrets/%s" % (project.number, secret_id),
                "replication": {"automatic": {}}, "createTime": secret["create_time"], "etag": secret["etag"]}

    def _create(self, req, project):
        secret_id = req.arg("secretId")
        denied = self._denied(project, "secretmanager.secrets.create", "projects/%s" % project.id)
        if denied:
            return denied
        if not secret_id or not SECRET_ID.match(secret_id):
            return 400, {}, google_error(400, "INVALID_ARGUMENT",
                                         "The provided Secret ID [%s] does not match the expected format [[a-zA-Z_0-9]+]"
                                         % (secret_id or "")[:300])
        body = req.json()
        if not isinstance(body, dict) or "replication" not in body:
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Secret.replication is required.")
        if secret_id in project.secrets:
            return 409, {}, google_error(409, "ALREADY_EXISTS", "Secret [projects/%s/secrets/%s] already exists."
                                         % (project.number, secret_id))
        project.secrets[secret_id] = _new_secret([])
        return 200, {}, self._secret_json(project, secret_id)

    def _get_secret(self, project, secret_id):
        if secret_id not in project.secrets:
            return 404, {}, google_error(404, "NOT_FOUND", "Secret [projects/%s/secrets/%s] not found."
                                         % (project.number, secret_id))
        return 200, {}, self._secret_json(project, secret_id)

    def _access(self, project, secret_id, version_ref):
        resource = "projects/%s/secrets/%s/versions/%s" % (project.id, secret_id, version_ref)
        denied = self._denied(project, "secretmanager.versions.access", resource, secret_id)
        if denied:
            return denied
        secret = project.secrets.get(secret_id)
        if secret is None or not secret["versions"]:
            return 404, {}, google_error(404, "NOT_FOUND", "Secret [projects/%s/secrets/%s] not found or has no versions."
                                         % (project.number, secret_id))
        number = _version_number(secret, version_ref)
        if number is None:
            return _version_not_found(project, secret_id, version_ref)
        version = secret["versions"][number - 1]
        name = "projects/%s/secrets/%s/versions/%d" % (project.number, secret_id, number)
        if version["state"] != "ENABLED":
            return 400, {}, google_error(400, "FAILED_PRECONDITION", "Secret Version [%s] is in %s state."
                                         % (name, version["state"]))
        data = version["data"]
        checksum = crc32c(data)
        if version.get("corrupt"):
            data = data[:-1] + bytes([data[-1] ^ 1]) if data else b"x"
        return 200, {}, {"name": name, "payload": {"data": _b64(data), "dataCrc32c": str(checksum)}}

    def _add_version(self, req, project, secret_id):
        resource = "projects/%s/secrets/%s" % (project.id, secret_id)
        denied = self._denied(project, "secretmanager.versions.add", resource, secret_id)
        if denied:
            return denied
        body = req.json()
        payload = body.get("payload") if isinstance(body, dict) else None
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), str):
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Payload is required.")
        try:
            import base64
            data = base64.b64decode(payload["data"], validate=True)
        except ValueError:
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Invalid value at 'payload.data' (TYPE_BYTES)")
        if len(data) > 65536:
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Secret payload data length must be less than 65536 bytes.")
        if "dataCrc32c" in payload and str(payload["dataCrc32c"]) != str(crc32c(data)):
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Checksum mismatch: the data does not match the "
                                                                  "provided data_crc32c.")
        secret = project.secrets.get(secret_id)
        if secret is None:
            return 404, {}, google_error(404, "NOT_FOUND", "Secret [projects/%s/secrets/%s] not found."
                                         % (project.number, secret_id))
        secret["versions"].append(_new_version(data, checksummed="dataCrc32c" in payload))
        number = len(secret["versions"])
        return 200, {}, self._version_json(project, secret_id, number)

    def _version_json(self, project, secret_id, number):
        version = project.secrets[secret_id]["versions"][number - 1]
        reply = {"name": "projects/%s/secrets/%s/versions/%d" % (project.number, secret_id, number),
                 "createTime": version["create_time"], "state": version["state"],
                 "replicationStatus": {"automatic": {}}, "etag": version["etag"],
                 "clientSpecifiedPayloadChecksum": version.get("checksummed", False)}
        if version.get("destroy_time"):
            reply["destroyTime"] = version["destroy_time"]
        return reply

    def _get_version(self, project, secret_id, version_ref):
        """versions.get: the version's metadata (state, etag…), whatever its state; never the data."""
        resource = "projects/%s/secrets/%s/versions/%s" % (project.id, secret_id, version_ref)
        denied = self._denied(project, "secretmanager.versions.get", resource, secret_id)
        if denied:
            return denied
        secret = project.secrets.get(secret_id)
        number = _version_number(secret, version_ref) if secret is not None else None
        if number is None:
            return _version_not_found(project, secret_id, version_ref)
        return 200, {}, self._version_json(project, secret_id, number)

    def _delete_secret(self, req, project, secret_id):
        """secrets.delete: the secret and every version are gone at once; the id is free again."""
        resource = "projects/%s/secrets/%s" % (project.id, secret_id)
        denied = self._denied(project, "secretmanager.secrets.delete", resource, secret_id)
        if denied:
            return denied
        secret = project.secrets.get(secret_id)
        if secret is None:
            return 404, {}, google_error(404, "NOT_FOUND", "Secret [projects/%s/secrets/%s] not found."
                                         % (project.number, secret_id))
        etag = req.arg("etag")
        if etag and etag != secret["etag"]:
            return _etag_mismatch(etag)
        del project.secrets[secret_id]
        return 200, {}, {}

    def _change_version(self, req, project, secret_id, version_ref, verb):
        """versions.disable / enable / destroy: the version's new state; DESTROYED discards the data for good."""
        permission, state = VERSION_VERBS[verb]
        resource = "projects/%s/secrets/%s/versions/%s" % (project.id, secret_id, version_ref)
        denied = self._denied(project, permission, resource, secret_id)
        if denied:
            return denied
        body = req.json() if req.body else {}
        if not isinstance(body, dict):
            return 400, {}, google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        secret = project.secrets.get(secret_id)
        number = _version_number(secret, version_ref) if secret is not None else None
        if number is None:
            return _version_not_found(project, secret_id, version_ref)
        version = secret["versions"][number - 1]
        if body.get("etag") and body["etag"] != version["etag"]:
            return _etag_mismatch(body["etag"])
        if version["state"] == "DESTROYED":
            return 400, {}, google_error(400, "FAILED_PRECONDITION", "Secret Version [projects/%s/secrets/%s/versions/%d] "
                                         "is in DESTROYED state." % (project.number, secret_id, number))
        if version["state"] != state:
            version["state"] = state
            version["etag"] = _etag()
            if state == "DESTROYED":
                version["data"] = b""
                version["destroy_time"] = _timestamp()
        return 200, {}, self._version_json(project, secret_id, number)

    # MARK: control (tests only; not part of the Google APIs)

    def control(self, req):
        common = control_common(self, req, "project")
        if common:
            return common
        body = req.json() or {}
        project = self.project(body.get("project", self.default_project))
        with self.lock:
            if req.path == "/__strata/seed":
                # {"project", "secrets": {id: value or [values…] or null (no versions)}, "replace": bool}
                if body.get("replace"):
                    project.secrets.clear()
                    project.denied.clear()
                for secret_id, values in body.get("secrets", {}).items():
                    values = [] if values is None else values if isinstance(values, list) else [values]
                    project.secrets[secret_id] = _new_secret([_new_version(v.encode()) for v in values])
                return 200, {}, {"seeded": len(body.get("secrets", {}))}
            if req.path == "/__strata/version-state":
                secret = project.secrets[body["secret"]]
                secret["versions"][-1]["state"] = body.get("state", "DISABLED")
                return 200, {}, {}
            if req.path == "/__strata/corrupt":
                project.secrets[body["secret"]]["versions"][-1]["corrupt"] = True
                return 200, {}, {}
            if req.path == "/__strata/deny":
                project.denied.add((body["permission"], body.get("secret", "*")))
                return 200, {}, {}
            if req.path == "/__strata/page-size-cap":
                project.page_size_cap = int(body["cap"])
                return 200, {}, {}
            if req.path == "/__strata/token-lifetime":
                self.token_lifetime = int(body["seconds"])
                return 200, {}, {}
        return 404, {}, {"error": "unknown control endpoint"}

    def handle(self, req):
        if req.path.startswith("/__strata/"):
            return self.control(req)
        if req.path == "/token":
            return self.token_endpoint(req)
        if req.path.startswith("/computeMetadata/"):
            return self.metadata(req)
        if req.path.startswith("/v1/"):
            return self.api(req)
        return 404, {}, google_error(404, "NOT_FOUND", "Requested entity was not found.")


def _timestamp():
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())


_etag_lock = threading.Lock()
_last_etag = [0]


def _etag():
    """A fresh etag, shaped like Google's (a quoted hex timestamp in microseconds), never repeated."""
    with _etag_lock:
        _last_etag[0] = max(_last_etag[0] + 1, time.time_ns() // 1000)
        return '"%x"' % _last_etag[0]


def _new_secret(versions):
    return {"create_time": _timestamp(), "etag": _etag(), "versions": versions}


def _new_version(data, checksummed=False):
    return {"data": data, "state": "ENABLED", "create_time": _timestamp(), "etag": _etag(), "checksummed": checksummed}


def _version_number(secret, version_ref):
    """The 1-based number `version_ref` names (`latest` is the newest), or None."""
    if not secret["versions"]:
        return None
    if version_ref == "latest":
        return len(secret["versions"])
    if version_ref.isdigit() and 1 <= int(version_ref) <= len(secret["versions"]):
        return int(version_ref)
    return None


def _version_not_found(project, secret_id, version_ref):
    return 404, {}, google_error(404, "NOT_FOUND", "Secret Version [projects/%s/secrets/%s/versions/%s] not found."
                                 % (project.number, secret_id, version_ref))


def _etag_mismatch(etag):
    # AIP-154: a stale etag is ABORTED (HTTP 409), not FAILED_PRECONDITION.
    return 409, {}, google_error(409, "ABORTED", "The etag provided in the request (%s) does not match the current "
                                                 "etag of the resource." % etag[:40])


def _b64(data):
    import base64
    return base64.b64encode(data).decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.state_dir, exist_ok=True)
    from http.server import ThreadingHTTPServer
    # Bind first so the base URL (token_uri in the key files) carries the real port.
    probe = ThreadingHTTPServer(("127.0.0.1", args.port), None)
    port = probe.server_address[1]
    probe.server_close()
    base = "http://127.0.0.1:%d" % port
    app = GCPDouble(args.state_dir, base)
    serve(app, "127.0.0.1", port)
    info = {"url": base, "metadata_host": "127.0.0.1:%d" % port, "project": app.default_project, **app.files,
            "pid": os.getpid()}
    write_json_atomically(os.path.join(args.state_dir, "gcp.json"), info)
    threading.Event().wait()


if __name__ == "__main__":
    main()
