import Foundation
import Engine
import RemoteSupport

/// Makes Google Cloud Secret Manager and Azure Key Vault tiers (and their writers) from a
/// deployment's backend configuration.
public struct CloudTierProvider: BackendTierProvider {
    /// Makes the HTTP transport for one deployment, trusting the PEM bundle at `caBundlePath`
    /// (from SSL_CERT_FILE or REQUESTS_CA_BUNDLE in its environment) besides the system roots.
    public typealias TransportFactory = @Sendable (_ caBundlePath: String?) throws -> any HTTPTransport

    public var families: Set<BackendFamily> { [.gcpSecretManager, .azureKeyVault] }

    let makeTransport: TransportFactory
    let clock: any WallClock
    let retry: RetryPolicy
    /// Secrets read at the same time while loading a tier.
    let concurrency: Int
    /// Allows a plain-http vault_url; only tests that cannot serve TLS should set it.
    let allowPlainHTTP: Bool

    /// The provider the app uses: RemoteSupport's shared HTTPS transport per CA bundle, the system clock.
    public init(clock: any WallClock = SystemClock(), retry: RetryPolicy = .standard, concurrency: Int = 16) {
        self.init(transport: { try HTTPClientTransport.shared(tls: TLSSettings(caBundlePath: $0)) }, clock: clock,
                  retry: retry, concurrency: concurrency)
    }

    public init(transport: @escaping TransportFactory, clock: any WallClock = SystemClock(),
                retry: RetryPolicy = .standard, concurrency: Int = 16, allowPlainHTTP: Bool = false) {
        self.makeTransport = transport
        self.clock = clock
        self.retry = retry
        self.concurrency = concurrency
        self.allowPlainHTTP = allowPlainHTTP
    }

    /// The transport the default provider uses for a CA bundle (for wrapping, e.g. to count requests).
    public func defaultTransport(caBundlePath: String?) throws -> any HTTPTransport {
        try HTTPClientTransport.shared(tls: TLSSettings(caBundlePath: caBundlePath))
    }

    public func makeSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                           dialect: ConnectionDialect) throws -> any TierSource {
        switch configuration.family {
        case .gcpSecretManager?:
            return try makeSecretManagerSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
        case .azureKeyVault?:
            return try makeKeyVaultSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
        default:
            throw TierError("CloudTierProvider handles GCP Secret Manager and Azure Key Vault, not \(configuration.classPath).")
        }
    }

    /// A writer for the deployment's GCP or Azure backend (for editing values in place).
    public func makeWriter(configuration: BackendConfiguration, deployment: Deployment) throws -> any CloudSecretWriter {
        switch configuration.family {
        case .gcpSecretManager?:
            return SecretManagerWriter(source: try makeSecretManagerSource(configuration: configuration, deployment: deployment,
                                                                           tier: .backend, dialect: .core))
        case .azureKeyVault?:
            return KeyVaultWriter(source: try makeKeyVaultSource(configuration: configuration, deployment: deployment,
                                                                 tier: .backend, dialect: .core))
        default:
            throw TierError("Strata can write to GCP Secret Manager and Azure Key Vault here, not to \(configuration.classPath).")
        }
    }

    public func makeSecretManagerSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                                        dialect: ConnectionDialect) throws -> SecretManagerTierSource {
        let settings = try GCPBackendSettings(configuration: configuration, deployment: deployment)
        let transport = try transport(for: deployment)
        let tokens = GoogleTokenProvider(source: settings.credentials, scopes: settings.scopes,
                                         requester: CloudRequester(transport: transport, retry: retry, clock: clock, service: "the Google token endpoint"),
                                         cache: AccessTokenCache())
        var quotaProject: String?
        if case .authorizedUser(let user, _) = settings.credentials { quotaProject = user.quotaProjectID }
        let client = SecretManagerClient(endpoint: settings.endpoint, tokens: tokens,
                                         requester: CloudRequester(transport: transport, retry: retry, clock: clock, service: "Secret Manager"),
                                         quotaProject: quotaProject)
        return SecretManagerTierSource(settings: settings, client: client, tier: tier, dialect: dialect, concurrency: concurrency)
    }

    public func makeKeyVaultSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                                   dialect: ConnectionDialect) throws -> KeyVaultTierSource {
        let settings = try AzureBackendSettings(configuration: configuration, deployment: deployment, allowPlainHTTP: allowPlainHTTP)
        let transport = try transport(for: deployment)
        let tokens = AzureTokenProvider(source: settings.credentials,
                                        requester: CloudRequester(transport: transport, retry: retry, clock: clock, service: "Entra ID"),
                                        cache: AccessTokenCache())
        let client = KeyVaultClient(settings: settings, tokens: tokens,
                                    requester: CloudRequester(transport: transport, retry: retry, clock: clock, service: "Key Vault"),
                                    challenges: KeyVaultClient.ChallengeStore())
        return KeyVaultTierSource(client: client, tier: tier, dialect: dialect, concurrency: concurrency)
    }

    /// The transport for `deployment`, trusting its private CA bundle when it names one.
    private func transport(for deployment: Deployment) throws -> any HTTPTransport {
        let bundle = try TLSSettings.caBundlePath(for: deployment)
        do { return try makeTransport(bundle) } catch {
            throw TierError("cannot use the CA bundle \(bundle ?? "(system)") for HTTPS: \(CloudRequester.describe(error)). "
                            + "Check that SSL_CERT_FILE / REQUESTS_CA_BUNDLE names a PEM file of certificates.")
        }
    }
}
