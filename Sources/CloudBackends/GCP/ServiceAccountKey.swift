import Foundation
import Crypto
import CryptoExtras

/// A Google service-account JSON key: whom it belongs to, where to exchange it, and the RSA
/// key that signs the exchange's JWT. `description` never shows key material.
struct ServiceAccountKey: Sendable, CustomStringConvertible {
    static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    let clientEmail: String
    let privateKeyID: String?
    let tokenURI: URL
    let projectID: String?
    private let privateKey: _RSA.Signing.PrivateKey

    var description: String { "service account \(clientEmail)" }

    /// Parses a key document. `origin` names it in messages ("gcp_key_path /keys/sa.json").
    init(json object: [String: Any], origin: String) throws {
        if let type = object["type"] as? String, type != "service_account" {
            throw CloudFailure(.configuration, "\(origin) is a \"\(type)\" credential, not a service-account key; "
                               + "download a JSON key for the service account (IAM → Service accounts → Keys).")
        }
        guard let email = object["client_email"] as? String, !email.isEmpty else {
            throw CloudFailure(.configuration, "\(origin) has no client_email; it is not a complete service-account JSON key.")
        }
        guard var pem = object["private_key"] as? String, !pem.isEmpty else {
            throw CloudFailure(.configuration, "\(origin) has no private_key; it is not a complete service-account JSON key.")
        }
        // Airflow's hook turns literal "\n" into newlines, for keys pasted into one-line env values.
        pem = pem.replacingOccurrences(of: "\\n", with: "\n")
        do {
            privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw CloudFailure(.configuration, "the private_key in \(origin) is not a usable PEM RSA private key (2048 bits or more); "
                               + "download a new JSON key for \(email).")
        }
        let tokenText = (object["token_uri"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultTokenURI
        guard let tokenURI = URL(string: tokenText), tokenURI.scheme != nil, tokenURI.host != nil else {
            throw CloudFailure(.configuration, "the token_uri in \(origin) is not a URL.")
        }
        clientEmail = email
        privateKeyID = object["private_key_id"] as? String
        self.tokenURI = tokenURI
        projectID = (object["project_id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The signed JWT assertion for the OAuth 2 JWT-bearer grant (RFC 7523): RS256, one hour.
    func assertion(scopes: [String], now: Date) throws -> String {
        var header: [String: Any] = ["alg": "RS256", "typ": "JWT"]
        if let privateKeyID { header["kid"] = privateKeyID }
        let issued = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": clientEmail, "scope": scopes.joined(separator: " "), "aud": tokenURI.absoluteString,
            "iat": issued, "exp": issued + 3600,
        ]
        let signingInput = Base64URL.encode(jsonBody(header)) + "." + Base64URL.encode(jsonBody(claims))
        let signature = try privateKey.signature(for: Data(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }
}

/// A gcloud "authorized_user" credential (`gcloud auth application-default login`): a refresh
/// token for an OAuth client. `description` never shows the secret or the token.
struct AuthorizedUserCredential: Sendable, CustomStringConvertible {
    let clientID: String
    let clientSecret: String
    let refreshToken: String
    let tokenURI: URL
    let quotaProjectID: String?

    var description: String { "user credentials (OAuth client \(clientID))" }

    init(json object: [String: Any], origin: String) throws {
        guard let clientID = object["client_id"] as? String, let secret = object["client_secret"] as? String,
              let refresh = object["refresh_token"] as? String, !refresh.isEmpty else {
            throw CloudFailure(.configuration, "\(origin) is an authorized_user credential without client_id, client_secret "
                               + "and refresh_token; run `gcloud auth application-default login` again.")
        }
        self.clientID = clientID
        clientSecret = secret
        refreshToken = refresh
        let tokenText = (object["token_uri"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? ServiceAccountKey.defaultTokenURI
        guard let url = URL(string: tokenText), url.host != nil else {
            throw CloudFailure(.configuration, "the token_uri in \(origin) is not a URL.")
        }
        tokenURI = url
        quotaProjectID = (object["quota_project_id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }
}
