import Foundation
import Engine
import RemoteSupport

/// Google access tokens for a deployment from its Application Default Credentials
/// (GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the metadata server): what Cloud Composer's
/// Airflow REST API takes as a bearer token. Cached until shortly before they expire.
public struct GoogleAccessTokens: Sendable {
    let provider: GoogleTokenProvider

    /// The `cloud-platform` scope, which Composer's web server accepts.
    public static let scopes = ["https://www.googleapis.com/auth/cloud-platform"]

    /// Finds the deployment's credentials; throws a `TierError` saying what to set when there are none usable.
    public init(deployment: Deployment, transport: any HTTPTransport, retry: RetryPolicy = .standard,
                clock: any WallClock = SystemClock()) throws {
        let configuration = BackendConfiguration(classPath: "google_auth", family: nil, sources: ["api.google_auth"])
        let source: GoogleCredentialSource
        do {
            source = try GoogleCredentialSource.resolve(kwargs: BackendKwargs(configuration), deployment: deployment)
        } catch let failure as CloudFailure {
            throw failure.tierError
        }
        provider = GoogleTokenProvider(source: source, scopes: Self.scopes,
                                       requester: CloudRequester(transport: transport, retry: retry, clock: clock,
                                                                 service: "the Google token endpoint"),
                                       cache: AccessTokenCache())
    }

    /// A current access token; throws a `TierError` naming the credential problem (never the token).
    public func token() async throws -> String {
        do {
            return try await provider.token().value
        } catch let failure as CloudFailure {
            throw failure.tierError
        }
    }

    /// Forgets the cached token (after the service refused it).
    public func invalidate() async { await provider.invalidate() }

    /// What authenticates, for messages: "service account a@b (GOOGLE_APPLICATION_CREDENTIALS …)".
    public var summary: String { provider.source.summary }
}
