import Engine

/// Why a call to a deployment's Airflow REST API failed, in words that say what to do. Never
/// holds a token, a password or a value: a reply's `detail` is quoted only when it is a short
/// string (FastAPI's validation errors echo the request body, which may hold a secret).
public typealias AirflowAPIFailure = KindedFailure<AirflowAPIFailureKind>

/// The kinds of `AirflowAPIFailure`.
public enum AirflowAPIFailureKind: String, Sendable, Hashable {
    /// No answer, TLS refused, deadline passed, 5xx.
    case unavailable
    /// 401: the credential is missing, wrong or expired.
    case unauthorized
    /// 403: signed in, but the user or token may not do this.
    case forbidden
    /// 404 on a collection: wrong URL or wrong Airflow version.
    case notFound
    /// 409, or the entry changed since Strata read it.
    case conflict
    /// 400/422: Airflow refused the value.
    case invalid
    /// The reply is not what Airflow's API answers.
    case malformed
    /// The workspace's `api:` settings cannot be used (a variable not set, a sign-in not supported).
    case configuration
}
