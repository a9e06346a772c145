import Foundation
import AWSBackends
import CloudBackends
import Engine
import RemoteSupport

/// Makes the REST API metastore tier (and its writer) of a deployment whose workspace entry has
/// an `api:` block.
public struct AirflowAPITierProvider: Sendable {
    /// Makes the HTTP transport for one deployment, trusting the PEM bundle at `caBundlePath`.
    public typealias TransportFactory = @Sendable (_ caBundlePath: String?) throws -> any HTTPTransport

    let makeTransport: TransportFactory
    let retry: RetryPolicy
    let clock: any WallClock
    let concurrency: Int
    /// Strata's own environment, read after the deployment's for `token_env` / `password_env`.
    let processEnvironment: @Sendable (String) -> String?
    /// Where `~/.aws` is looked for (MWAA sign-in) when the deployment does not name the files.
    let homeDirectory: URL

    public init(transport: @escaping TransportFactory = { try HTTPClientTransport.shared(tls: TLSSettings(caBundlePath: $0)) },
                retry: RetryPolicy = .standard, clock: any WallClock = SystemClock(), concurrency: Int = 8,
                processEnvironment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] },
                homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) {
        self.homeDirectory = homeDirectory
        self.makeTransport = transport
        self.retry = retry
        self.clock = clock
        self.concurrency = concurrency
        self.processEnvironment = processEnvironment
    }

    /// The tier for `deployment`, which must have an `api:` block.
    public func makeTier(for deployment: Deployment) throws -> AirflowAPITier {
        AirflowAPITier(client: try makeClient(for: deployment), concurrency: concurrency, teams: deployment.teamLookup)
    }

    /// The client for `deployment`'s API.
    public func makeClient(for deployment: Deployment) throws -> AirflowAPIClient {
        guard let settings = deployment.api else {
            throw TierError("deployment '\(deployment.name)' has no `api:` block")
        }
        let bundle = try TLSSettings.caBundlePath(for: deployment)
        let transport: any HTTPTransport
        do { transport = try makeTransport(bundle) } catch {
            throw TierError("cannot use the CA bundle \(bundle ?? "(system)") for HTTPS: \(InertText.make(String(describing: error).prefix(300).description)). "
                            + "Check that SSL_CERT_FILE / REQUESTS_CA_BUNDLE names a PEM file of certificates.")
        }
        let environment = deployment.environment
        let process = processEnvironment
        var carrier = transport
        var google: AirflowAPICredentials.GoogleTokenSource?
        switch settings.signIn {
        case .mwaa(let name, let region):
            let signer = try AWSRequestSigner.mwaa(deployment: deployment, region: region, transport: transport, retry: retry,
                                                   clock: clock, homeDirectory: homeDirectory)
            carrier = MWAATransport(inner: transport, signer: signer, environment: name)
        case .google:
            let tokens = try GoogleAccessTokens(deployment: deployment, transport: transport, retry: retry, clock: clock)
            google = AirflowAPICredentials.GoogleTokenSource(token: { try await tokens.token() }, invalidate: { await tokens.invalidate() })
        case .token, .password:
            break
        }
        return AirflowAPIClient(settings: settings, version: AirflowAPIVersion(deployment.airflowVersion), transport: carrier,
                                retry: retry, clock: clock, timeout: deployment.timeouts.request,
                                variable: { environment[$0] ?? process($0) }, google: google)
    }
}
