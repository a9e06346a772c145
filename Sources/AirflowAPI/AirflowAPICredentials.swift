import Foundation
import Engine

/// The `Authorization` header for a deployment's API, made from the sign-in the workspace
/// names: a bearer token from an environment variable, a JWT obtained at `/auth/token`
/// (Airflow 3) or HTTP basic auth (Airflow 2). A JWT is kept until the API answers 401.
actor AirflowAPICredentials {
    let signIn: AirflowAPISettings.SignIn
    let version: AirflowAPIVersion
    /// Reads an environment variable: the deployment's environment first, then Strata's own.
    let variable: @Sendable (String) -> String?
    /// Google access tokens, for `google_auth`.
    let google: GoogleTokenSource?
    private var token: String?
    private var pending: Task<String, any Error>?

    /// Where `google_auth` gets its tokens (the deployment's Google credentials).
    struct GoogleTokenSource: Sendable {
        var token: @Sendable () async throws -> String
        var invalidate: @Sendable () async -> Void
    }

    init(signIn: AirflowAPISettings.SignIn, version: AirflowAPIVersion, variable: @escaping @Sendable (String) -> String?,
         google: GoogleTokenSource? = nil) {
        self.signIn = signIn
        self.version = version
        self.variable = variable
        self.google = google
    }

    /// The header value, signing in first when needed; `exchange` posts to `/auth/token`. Nil
    /// when the transport signs each request itself (MWAA).
    func authorization(refresh: Bool, exchange: @escaping @Sendable (String, String) async throws -> String) async throws -> String? {
        switch signIn {
        case .token(let name):
            return "Bearer " + (try secret(name, what: "api.token_env"))
        case .password(let user, let name):
            let password = try secret(name, what: "api.password_env")
            if version == .v1 {
                return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            }
            if refresh { token = nil; pending = nil }
            if let token { return "Bearer " + token }
            // Concurrent first requests (both collections list at once) share one sign-in.
            let exchanging = pending ?? Task { try await exchange(user, password) }
            pending = exchanging
            do {
                let fresh = try await exchanging.value
                token = fresh
                pending = nil
                return "Bearer " + fresh
            } catch {
                pending = nil
                throw error
            }
        case .mwaa:
            return nil
        case .google:
            guard let google else {
                throw AirflowAPIFailure(.configuration, "no Google credentials are set up for api.google_auth")
            }
            if refresh { await google.invalidate() }
            do {
                return "Bearer " + (try await google.token())
            } catch let error as TierError {
                throw AirflowAPIFailure(.unauthorized, "cannot get a Google access token for api.google_auth: \(error.message)")
            }
        }
    }

    /// Whether an expired sign-in can be renewed (a JWT from a password can; a fixed token cannot).
    var canRefresh: Bool {
        if case .password = signIn, version == .v2 { return true }
        if case .google = signIn { return true }
        return false
    }

    private func secret(_ name: String, what: String) throws -> String {
        guard let value = variable(name), !value.isEmpty else {
            throw AirflowAPIFailure(.configuration, "the environment variable \(name) that \(what) names is not set; "
                                    + "export it before starting Strata (or set it in the deployment's env)")
        }
        guard !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw AirflowAPIFailure(.configuration, "the environment variable \(name) that \(what) names holds a line break; "
                                    + "a token or password cannot be sent with one")
        }
        return value
    }

    /// What the sign-in is, for messages: "the token in AIRFLOW_API_TOKEN".
    nonisolated var description: String {
        switch signIn {
        case .token(let name): return "the token in \(name)"
        case .password(let user, let name): return "user '\(InertText.make(user))' with the password in \(name)"
        case .mwaa(let environment, _): return "MWAA environment '\(InertText.make(environment))'"
        case .google: return "the Google access token"
        }
    }
}
