#!/usr/bin/env python3
"""A protocol-faithful test double of Azure Key Vault (secrets, REST API 7.4+), the Entra ID
(Azure AD) v2.0 token endpoint and the managed identity endpoints, on loopback.

It serves HTTPS with a self-signed certificate generated at start (written as a CA bundle),
plus one plain-HTTP port for the instance metadata service (IMDS is plain HTTP in Azure too).

What it checks, as the real services do (see README.md):
* token endpoint /{tenant}/oauth2/v2.0/token: known tenant, known client, the client secret or
  a federated client assertion (RS256 signature by the issuer's key, issuer, subject, audience
  api://AzureADTokenExchange, expiry), grant_type client_credentials, scope
  https://vault.azure.net/.default; AADSTS error shapes.
* managed identity: IDENTITY_ENDPOINT with X-IDENTITY-HEADER (api-version 2019-08-01), IMDS with
  Metadata: true (api-version 2018-02-01), resource https://vault.azure.net.
* Key Vault: api-version present and 7.4 or later; the 401 challenge when no token is sent;
  tokens it issued, unexpired, audience https://vault.azure.net, tenant of the vault;
  per-principal secret permissions; name rule; list paging (maxresults <= 25, nextLink with
  $skiptoken); disabled secrets; soft delete (Delete Secret, Get Deleted Secret(s), Recover
  Deleted Secret, Purge Deleted Secret, the 409 for a name deleted but recoverable); the
  KeyVaultError body.

Usage: azure_key_vault.py --state-dir DIR [--port 0] [--imds-port 0]. Writes DIR/azure.json once it
is listening.
"""
import argparse
import datetime
import hashlib
import ipaddress
import json
import os
import re
import ssl
import threading
import time
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from doublecore import (Counters, Faults, b64url_decode, b64url_encode, control_common, fault_reply, random_token,
                        serve, write_json_atomically)

VAULT_RESOURCE = "https://vault.azure.net"
VAULT_SCOPE = VAULT_RESOURCE + "/.default"
FEDERATED_AUDIENCE = "api://AzureADTokenExchange"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")
PAGE_MAX = 25
RETENTION_DAYS = 90  # the vault's soft-delete retention (recoverableDays)


def kv_error(code, message, inner=None):
    error = {"code": code, "message": message}
    if inner:
        error["innererror"] = {"code": inner}
    return {"error": error}


def error_for_status(code):
    if code == 429:
        return kv_error("Throttled", "Request was not processed because too many requests were received. Reason: "
                                     "A maximum of 4000 requests per 10 seconds is allowed per vault.")
    return kv_error("ServiceUnavailable", "The service is temporarily unavailable.")


def aad_error(status, error, code, description):
    stamp = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%SZ")
    trace = str(uuid.uuid4())
    return status, {}, {"error": error, "error_description": "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s"
                                                             % (code, description, trace, uuid.uuid4(), stamp),
                        "error_codes": [code], "timestamp": stamp, "trace_id": trace,
                        "correlation_id": str(uuid.uuid4())}


def api_version_ok(version):
    if re.match(r"^\d{4}-\d{2}-\d{2}(-preview)?$", version or ""):
        return True
    match = re.match(r"^(\d+)\.(\d+)(-preview(\.\d+)?)?$", version or "")
    return bool(match) and (int(match.group(1)), int(match.group(2))) >= (7, 4) and int(match.group(1)) == 7


class Vault:
    def __init__(self, name):
        self.name = name
        self.secrets = {}  # name -> {"versions": [{"id", "value", "created", "updated", "enabled", "contentType"}]}
        self.deleted = {}  # name -> {"versions": [...], "deletedDate", "scheduledPurgeDate"}: soft-deleted, recoverable
        self.denied = set()  # (permission, principal or "*")


class AzureDouble:
    def __init__(self, state_dir, base_url, imds_url):
        self.base_url = base_url
        self.imds_url = imds_url
        self.lock = threading.RLock()
        self.faults = Faults()
        self.counters = Counters()
        self.vaults = {}
        self.tokens = {}  # token -> {"principal", "tenant", "aud", "exp"}
        self.token_lifetime = 3599
        self.tenant = str(uuid.uuid5(uuid.NAMESPACE_URL, "strata-tenant"))
        self.other_tenant = str(uuid.uuid5(uuid.NAMESPACE_URL, "strata-other-tenant"))
        self.apps = {}  # client id -> {"tenant", "secret", "federated": {"issuer", "subject"}}
        app_id, secret = str(uuid.uuid4()), random_token("Str~", 30)
        self.apps[app_id] = {"tenant": self.tenant, "secret": secret, "federated": None}
        fed_id = str(uuid.uuid4())
        self.oidc_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.oidc_issuer = base_url + "/oidc/strata-cluster"
        self.apps[fed_id] = {"tenant": self.tenant, "secret": None,
                             "federated": {"issuer": self.oidc_issuer, "subject": "system:serviceaccount:astro:strata"}}
        self.identity_header = random_token("", 24)
        self.managed_identity = str(uuid.uuid4())
        federated_file = os.path.join(state_dir, "azure-federated-token")
        self._write_federated_token(federated_file, fed_id, lifetime=3600)
        # Kubernetes rotates a projected service-account token well before it expires; so does
        # the double, so that a test run started hours after the double still finds a fresh one.
        def rotate():
            while True:
                time.sleep(600)
                self._write_federated_token(federated_file, fed_id, lifetime=3600)
        threading.Thread(target=rotate, daemon=True).start()
        expired_file = os.path.join(state_dir, "azure-federated-token-expired")
        self._write_federated_token(expired_file, fed_id, lifetime=-600)
        self.details = {
            "tenant_id": self.tenant, "other_tenant_id": self.other_tenant,
            "client_id": app_id, "client_secret": secret,
            "federated_client_id": fed_id, "federated_token_file": federated_file,
            "expired_federated_token_file": expired_file,
            "identity_endpoint": base_url + "/msi/token", "identity_header": self.identity_header,
            "managed_identity_client_id": self.managed_identity, "imds_url": imds_url,
        }

    def _write_federated_token(self, path, client_id, lifetime):
        now = int(time.time())
        header = {"alg": "RS256", "typ": "JWT", "kid": "strata-oidc"}
        claims = {"iss": self.oidc_issuer, "sub": "system:serviceaccount:astro:strata", "aud": [FEDERATED_AUDIENCE],
                  "iat": now - 60 if lifetime > 0 else now - 7200, "nbf": now - 60 if lifetime > 0 else now - 7200,
                  "exp": now + lifetime}
        signing = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(claims).encode())
        signature = self.oidc_key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
        # Written beside and renamed, so a reader never sees half a token.
        with open(path + ".tmp", "w") as handle:
            handle.write(signing + "." + b64url_encode(signature))
        os.chmod(path + ".tmp", 0o600)
        os.replace(path + ".tmp", path)

    def _issue(self, principal, tenant, resource):
        token = random_token("eyJ0eXAiOiJKV1Qi.strata-")
        exp = time.time() + self.token_lifetime
        with self.lock:
            self.tokens[token] = {"principal": principal, "tenant": tenant, "aud": resource, "exp": exp}
        return token, exp

    # MARK: Entra ID

    def token_endpoint(self, req, tenant):
        if req.method != "POST":
            return aad_error(405, "invalid_request", 900561, "The endpoint only accepts POST requests.")
        if tenant not in (self.tenant, self.other_tenant):
            return aad_error(400, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the "
                                                            "correct tenant ID and are signing into the correct cloud." % tenant[:64])
        form = req.form()
        if form.get("grant_type") != "client_credentials":
            return aad_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
        client = form.get("client_id", "")
        app = self.apps.get(client)
        if app is None or app["tenant"] != tenant:
            return aad_error(400, "unauthorized_client", 700016,
                             "Application with identifier '%s' was not found in the directory '%s'."
                             % (client[:64], tenant))
        if "client_assertion" in form:
            if form.get("client_assertion_type") != ASSERTION_TYPE:
                return aad_error(400, "invalid_request", 50027, "Invalid JWT token: client_assertion_type is not supported.")
            problem = self._check_assertion(form["client_assertion"], app)
            if problem:
                return problem
        elif app["secret"] is None or form.get("client_secret") != app["secret"]:
            return aad_error(401, "invalid_client", 7000215,
                             "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                             "secret value, not the client secret ID, for a secret added to app '%s'." % client)
        if form.get("scope") != VAULT_SCOPE:
            return aad_error(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. "
                                                         "The provided value for the input parameter 'scope' is not valid.")
        token, _ = self._issue("app:" + client, tenant, VAULT_RESOURCE)
        return 200, {}, {"token_type": "Bearer", "expires_in": self.token_lifetime, "ext_expires_in": self.token_lifetime,
                         "access_token": token}

    def _check_assertion(self, assertion, app):
        parts = assertion.split(".")
        try:
            header, claims = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
            self.oidc_key.public_key().verify(b64url_decode(parts[2]), (parts[0] + "." + parts[1]).encode(),
                                              padding.PKCS1v15(), hashes.SHA256())
        except (ValueError, IndexError, InvalidSignature):
            return aad_error(400, "invalid_client", 700027, "Client assertion contains an invalid signature.")
        fed = app["federated"]
        audiences = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
        if not fed or claims.get("iss") != fed["issuer"] or claims.get("sub") != fed["subject"] \
                or FEDERATED_AUDIENCE not in audiences:
            return aad_error(400, "invalid_client", 70021, "No matching federated identity record found for presented "
                                                           "assertion.")
        if not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
            return aad_error(400, "invalid_client", 700024, "Client assertion is not within its valid time range.")
        return None

    def managed_identity_reply(self, req, kind):
        resource = req.arg("resource")
        if kind == "app-service":
            if req.arg("api-version") != "2019-08-01":
                return 400, {}, {"statusCode": 400, "message": "Invalid api-version."}
            if req.headers.get("X-IDENTITY-HEADER") != self.identity_header:
                return 401, {}, {"statusCode": 401, "message": "Unauthorized: X-IDENTITY-HEADER is missing or wrong."}
        else:
            if req.headers.get("Metadata") != "true":
                return 400, {}, {"error": "invalid_request", "error_description": "Required metadata header not specified"}
            if req.arg("api-version") is None:
                return 400, {}, {"error": "invalid_request", "error_description": "Required query variable 'api-version' is missing"}
        client = req.arg("client_id")
        if client is not None and client != self.managed_identity:
            return 400, {}, {"error": "invalid_request", "error_description": "Identity not found"}
        if resource != VAULT_RESOURCE:
            return 400, {}, {"error": "invalid_resource", "error_description": "AADSTS500011: The resource principal "
                                                                               "named %s was not found." % (resource or "")[:100]}
        token, exp = self._issue("mi:" + self.managed_identity, self.tenant, VAULT_RESOURCE)
        reply = {"access_token": token, "expires_on": str(int(exp)), "resource": resource, "token_type": "Bearer",
                 "client_id": self.managed_identity}
        if kind == "imds":
            reply["expires_in"] = str(self.token_lifetime)
        return 200, {}, reply

    # MARK: Key Vault

    def vault(self, name):
        with self.lock:
            return self.vaults.setdefault(name, Vault(name))

    def vault_url(self, vault):
        return "%s/vaults/%s" % (self.base_url, vault.name)

    def key_vault(self, req, vault_name, rest):
        vault = self.vault(vault_name)
        match = re.match(r"^/secrets(?:/([^/]*)(?:/([^/]*))?)?/?$", rest)
        deleted_match = re.match(r"^/deletedsecrets(?:/([^/]*)(/recover)?)?/?$", rest)
        self.counters.add(vault.name, _kind(req.method, match, deleted_match))
        version = req.arg("api-version")
        if version is None:
            return 400, {}, kv_error("BadParameter", "The request URI must contain an api-version query parameter.")
        if not api_version_ok(version):
            return 400, {}, kv_error("BadParameter", "The specified version (%s) is not recognized. Consider using the "
                                                     "latest supported version (7.5)." % version[:20])
        token_text = req.bearer()
        if token_text is None:
            challenge = 'Bearer authorization="%s/%s", resource="%s"' % (self.base_url, self.tenant, VAULT_RESOURCE)
            return 401, {"WWW-Authenticate": challenge}, kv_error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.")
        token = self.tokens.get(token_text)
        challenge = {"WWW-Authenticate": 'Bearer authorization="%s/%s", resource="%s"'
                                         % (self.base_url, self.tenant, VAULT_RESOURCE)}
        if token is None:
            return 401, challenge, kv_error("Unauthorized", "AKV10032: Invalid issuer.")
        if token["exp"] < time.time():
            return 401, challenge, kv_error("Unauthorized", "AKV10022: Token is expired.")
        if token["aud"] != VAULT_RESOURCE:
            return 401, challenge, kv_error("Unauthorized", "AKV10022: Invalid audience.")
        if token["tenant"] != self.tenant:
            return 401, challenge, kv_error("Unauthorized", "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/%s/."
                                            % self.tenant)
        fault = self.faults.take(vault.name, req.path)
        if fault:
            if fault["kind"] == "revoke":  # the presented token stops working, as after a revocation
                with self.lock:
                    self.tokens.pop(token_text, None)
                return 401, challenge, kv_error("Unauthorized", "AKV10032: Invalid issuer.")
            reply = fault_reply(fault, error_for_status)
            if reply:
                return reply
        if deleted_match:
            with self.lock:
                return self._deleted_secrets(req, vault, token, deleted_match.group(1), bool(deleted_match.group(2)))
        if not match:
            return 404, {}, kv_error("NotFound", "The requested resource was not found.")
        name, secret_version = match.group(1), match.group(2) or ""
        with self.lock:
            if name is None:
                if req.method != "GET":
                    return 405, {}, kv_error("BadParameter", "Method not allowed.")
                return self._list(req, vault, token)
            if not NAME.match(name):
                return 400, {}, kv_error("BadParameter", "The request URI contains an invalid name: %s" % name[:200])
            if req.method == "GET":
                return self._get(vault, token, name, secret_version)
            if req.method == "PUT" and not secret_version:
                return self._set(req, vault, token, name)
            if req.method == "DELETE" and not secret_version:
                return self._delete(vault, token, name)
        return 405, {}, kv_error("BadParameter", "Method not allowed.")

    def _forbidden(self, vault, token, permission):
        if (permission, "*") in vault.denied or (permission, token["principal"]) in vault.denied:
            principal = token["principal"].split(":", 1)[1]
            return 403, {}, kv_error("Forbidden", "The user, group or application 'appid=%s;oid=%s;iss=https://sts.windows.net/%s/' "
                                                  "does not have secrets %s permission on key vault '%s;location=westeurope'. "
                                                  "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287"
                                                  % (principal, principal, self.tenant, permission, vault.name), "AccessDenied")
        return None

    def _item(self, vault, name, with_value, version=None):
        latest = version or vault.secrets[name]["versions"][-1]
        item = {"id": "%s/secrets/%s" % (self.vault_url(vault), name),
                "attributes": {"enabled": latest["enabled"], "created": latest["created"], "updated": latest["updated"],
                               "recoveryLevel": "Recoverable+Purgeable", "recoverableDays": 90},
                "tags": {}}
        if latest.get("contentType"):
            item["contentType"] = latest["contentType"]
        if with_value:
            item["id"] += "/" + latest["id"]
            item["value"] = latest["value"]
        return item

    def _list(self, req, vault, token, collection="secrets"):
        denied = self._forbidden(vault, token, "list")
        if denied:
            return denied
        try:
            size = int(req.arg("maxresults", str(PAGE_MAX)))
        except ValueError:
            size = 0
        if not 1 <= size <= PAGE_MAX:
            return 400, {}, kv_error("BadParameter", "invalid maxresults")
        offset = 0
        skiptoken = req.arg("$skiptoken")
        if skiptoken:
            try:
                offset = int(json.loads(b64url_decode(skiptoken))["NextMarker"].split("!")[1])
            except (ValueError, KeyError, IndexError, TypeError):
                return 400, {}, kv_error("BadParameter", "The skiptoken is invalid.")
        deleted = collection == "deletedsecrets"
        names = sorted(vault.deleted if deleted else vault.secrets)
        page = names[offset:offset + size]
        reply = {"value": [self._deleted_item(vault, name, False) if deleted else self._item(vault, name, False)
                           for name in page], "nextLink": None}
        if offset + size < len(names):
            marker = b64url_encode(json.dumps({"NextMarker": "2!%d!%s" % (offset + size, hashlib.md5(
                names[offset + size].encode()).hexdigest())}).encode())
            reply["nextLink"] = "%s/%s?api-version=%s&$skiptoken=%s&maxresults=%d" % (
                self.vault_url(vault), collection, req.arg("api-version"), marker, size)
        return 200, {}, reply

    def _get(self, vault, token, name, version_id):
        denied = self._forbidden(vault, token, "get")
        if denied:
            return denied
        secret = vault.secrets.get(name)
        if secret is None:
            return _secret_not_found(name)
        version = secret["versions"][-1]
        if version_id:
            found = [v for v in secret["versions"] if v["id"] == version_id]
            if not found:
                return 404, {}, kv_error("SecretNotFound", "A secret with (name/id) %s/%s was not found in this key vault."
                                         % (name, version_id[:40]))
            version = found[0]
        if not version["enabled"]:
            return 403, {}, kv_error("Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled")
        return 200, {}, self._item(vault, name, True, version)

    def _set(self, req, vault, token, name):
        denied = self._forbidden(vault, token, "set")
        if denied:
            return denied
        if name in vault.deleted:
            return 409, {}, kv_error("Conflict", "Secret %s is currently in a deleted but recoverable state, and its name "
                                                 "cannot be reused; in this state, the secret can only be recovered or purged."
                                     % name, "ObjectIsDeletedButRecoverable")
        body = req.json()
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            return 400, {}, kv_error("BadParameter", "Property value is required.")
        if len(body["value"]) > 25 * 1024:
            return 400, {}, kv_error("BadParameter", "The value is too large: secrets are limited to 25k characters.")
        stamp = int(time.time())
        entry = {"id": uuid.uuid4().hex, "value": body["value"], "created": stamp, "updated": stamp, "enabled": True,
                 "contentType": body.get("contentType")}
        vault.secrets.setdefault(name, {"versions": []})["versions"].append(entry)
        return 200, {}, self._item(vault, name, True, entry)

    # MARK: soft delete

    def _delete(self, vault, token, name):
        """Delete Secret: every version moves to the vault's deleted secrets, recoverable until purged."""
        denied = self._forbidden(vault, token, "delete")
        if denied:
            return denied
        secret = vault.secrets.pop(name, None)
        if secret is None:
            return _secret_not_found(name)
        stamp = int(time.time())
        vault.deleted[name] = {"versions": secret["versions"], "deletedDate": stamp,
                               "scheduledPurgeDate": stamp + RETENTION_DAYS * 86400}
        return 200, {}, self._deleted_item(vault, name, True)

    def _deleted_item(self, vault, name, bundle):
        """A DeletedSecretBundle (`bundle`: with the version in the id) or a DeletedSecretItem."""
        entry = vault.deleted[name]
        item = self._item(vault, name, False, entry["versions"][-1])
        if bundle:
            item["id"] += "/" + entry["versions"][-1]["id"]
        item.update({"recoveryId": "%s/deletedsecrets/%s" % (self.vault_url(vault), name),
                     "deletedDate": entry["deletedDate"], "scheduledPurgeDate": entry["scheduledPurgeDate"]})
        return item

    def _deleted_secrets(self, req, vault, token, name, recover):
        """Get Deleted Secrets / Get Deleted Secret / Recover Deleted Secret / Purge Deleted Secret."""
        if name is None:
            if req.method != "GET":
                return 405, {}, kv_error("BadParameter", "Method not allowed.")
            return self._list(req, vault, token, "deletedsecrets")
        if not NAME.match(name):
            return 400, {}, kv_error("BadParameter", "The request URI contains an invalid name: %s" % name[:200])
        permission = {("GET", False): "get", ("POST", True): "recover", ("DELETE", False): "purge"}.get((req.method, recover))
        if permission is None:
            return 405, {}, kv_error("BadParameter", "Method not allowed.")
        denied = self._forbidden(vault, token, permission)
        if denied:
            return denied
        if name not in vault.deleted:
            return 404, {}, kv_error("SecretNotFound", "Deleted Secret not found: %s" % name)
        if permission == "get":
            return 200, {}, self._deleted_item(vault, name, True)
        entry = vault.deleted.pop(name)
        if permission == "purge":
            return 204, {}, b""
        # Recovered as it was: the same versions, ids and attributes (a SecretBundle without the value).
        vault.secrets[name] = {"versions": entry["versions"]}
        return 200, {}, self._item(vault, name, False, entry["versions"][-1]) | {
            "id": "%s/secrets/%s/%s" % (self.vault_url(vault), name, entry["versions"][-1]["id"])}

    # MARK: control (tests only; not part of the Azure APIs)

    def control(self, req):
        common = control_common(self, req, "vault")
        if common:
            return common
        body = req.json() or {}
        vault = self.vault(body.get("vault", "strata"))
        with self.lock:
            if req.path == "/__strata/seed":
                if body.get("replace"):
                    vault.secrets.clear()
                    vault.deleted.clear()
                    vault.denied.clear()
                stamp = int(time.time())
                for name, value in body.get("secrets", {}).items():
                    entry = {"id": uuid.uuid4().hex, "value": value, "created": stamp, "updated": stamp,
                             "enabled": True, "contentType": None}
                    vault.secrets.setdefault(name, {"versions": []})["versions"].append(entry)
                return 200, {}, {"seeded": len(body.get("secrets", {}))}
            if req.path == "/__strata/enabled":
                vault.secrets[body["secret"]]["versions"][-1]["enabled"] = bool(body.get("enabled", False))
                return 200, {}, {}
            if req.path == "/__strata/deny":
                vault.denied.add((body["permission"], body.get("principal", "*")))
                return 200, {}, {}
            if req.path == "/__strata/token-lifetime":
                self.token_lifetime = int(body["seconds"])
                return 200, {}, {}
        return 404, {}, {"error": "unknown control endpoint"}

    def handle(self, req):
        if req.path.startswith("/__strata/"):
            return self.control(req)
        match = re.match(r"^/vaults/([A-Za-z0-9-]+)(/.*)?$", req.path)
        if match:
            return self.key_vault(req, match.group(1), match.group(2) or "/")
        match = re.match(r"^/([^/]+)/oauth2/v2\.0/token$", req.path)
        if match:
            return self.token_endpoint(req, match.group(1))
        if req.path == "/msi/token":
            return self.managed_identity_reply(req, "app-service")
        return 404, {}, kv_error("NotFound", "The requested resource was not found.")


def _kind(method, match, deleted_match):
    """The operation a Key Vault request is, for the request counters."""
    if deleted_match:
        if deleted_match.group(1) is None:
            return "list-deleted"
        return {"GET": "get-deleted", "POST": "recover", "DELETE": "purge"}.get(method, "deleted")
    if match and match.group(1) is None:
        return "list"
    return {"PUT": "set", "DELETE": "delete"}.get(method, "get")


def _secret_not_found(name):
    return 404, {}, kv_error("SecretNotFound", "A secret with (name/id) %s was not found in this key vault. If you "
                                               "recently deleted this secret you may be able to recover it using the "
                                               "correct recovery command. For help resolving this issue, please see "
                                               "https://go.microsoft.com/fwlink/?linkid=2125182" % name)


class IMDS:
    def __init__(self, double):
        self.double = double

    def handle(self, req):
        # Tests reach the control endpoints over plain HTTP too, without trusting the CA.
        if req.path.startswith("/__strata/"):
            return self.double.control(req)
        if req.path == "/metadata/identity/oauth2/token" and req.method == "GET":
            return self.double.managed_identity_reply(req, "imds")
        return 404, {}, {"error": "not_found"}


def make_certificate(state_dir):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Strata Key Vault test double")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(state_dir, "azure-ca.pem"), os.path.join(state_dir, "azure-key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return cert_path, key_path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--port", type=int, default=0, help="HTTPS port (0: any free port)")
    parser.add_argument("--imds-port", type=int, default=0, help="plain-HTTP port for IMDS and control (0: any free port)")
    args = parser.parse_args()
    os.makedirs(args.state_dir, exist_ok=True)
    from http.server import ThreadingHTTPServer
    ports = []
    for wanted in (args.port, args.imds_port):
        probe = ThreadingHTTPServer(("127.0.0.1", wanted), None)
        ports.append(probe.server_address[1])
        probe.server_close()
    base, imds = "https://127.0.0.1:%d" % ports[0], "http://127.0.0.1:%d" % ports[1]
    cert_path, key_path = make_certificate(args.state_dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    double = AzureDouble(args.state_dir, base, imds)
    serve(double, "127.0.0.1", ports[0], context)
    serve(IMDS(double), "127.0.0.1", ports[1])
    info = {"url": base, "ca_file": cert_path, "control_url": imds, "default_vault_url": base + "/vaults/strata", "pid": os.getpid(),
            **double.details}
    write_json_atomically(os.path.join(args.state_dir, "azure.json"), info)
    threading.Event().wait()


if __name__ == "__main__":
    main()
