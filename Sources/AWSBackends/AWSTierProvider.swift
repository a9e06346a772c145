import Foundation
import Engine
import RemoteSupport

/// Makes AWS Secrets Manager and SSM Parameter Store tiers (and their writers) from a
/// deployment's backend configuration.
public struct AWSTierProvider: BackendTierProvider {
    /// Makes the HTTP transport for a tier from its TLS settings.
    public typealias TransportFactory = @Sendable (TLSSettings) throws -> any HTTPTransport

    public var families: Set<BackendFamily> { [.secretsManager, .ssmParameterStore] }

    let makeTransport: TransportFactory
    let clock: any WallClock
    let retry: RetryPolicy
    /// Reads in flight at once while loading a tier.
    let concurrency: Int
    /// Where `~/.aws` is looked for when the deployment does not name the files.
    let homeDirectory: URL

    /// The provider the app uses: the shared async-http-client transport, the system clock.
    public init(clock: any WallClock = SystemClock(), retry: RetryPolicy = .standard, concurrency: Int = 8,
                homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) {
        self.init(transport: { try HTTPClientTransport.shared(tls: $0) }, clock: clock, retry: retry,
                  concurrency: concurrency, homeDirectory: homeDirectory)
    }

    public init(transport: @escaping TransportFactory, clock: any WallClock = SystemClock(), retry: RetryPolicy = .standard,
                concurrency: Int = 8, homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) {
        self.makeTransport = transport
        self.clock = clock
        self.retry = retry
        self.concurrency = concurrency
        self.homeDirectory = homeDirectory
    }

    public func makeSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                           dialect: ConnectionDialect) throws -> any TierSource {
        switch configuration.family {
        case .secretsManager?:
            return try makeSecretsManagerSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
        case .ssmParameterStore?:
            return try makeParameterStoreSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
        default:
            throw TierError("AWSTierProvider handles Secrets Manager and SSM Parameter Store, not \(configuration.classPath).")
        }
    }

    /// A verified writer for the deployment's AWS backend.
    public func makeWriter(configuration: BackendConfiguration, deployment: Deployment,
                           dialect: ConnectionDialect = .core) throws -> any AWSSecretWriter {
        switch configuration.family {
        case .secretsManager?:
            return SecretsManagerWriter(source: try makeSecretsManagerSource(configuration: configuration, deployment: deployment,
                                                                              tier: .backend, dialect: dialect))
        case .ssmParameterStore?:
            return ParameterStoreWriter(source: try makeParameterStoreSource(configuration: configuration, deployment: deployment,
                                                                              tier: .backend, dialect: dialect))
        default:
            throw TierError("Strata writes to Secrets Manager and Parameter Store here, not to \(configuration.classPath).")
        }
    }

    public func makeSecretsManagerSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                                         dialect: ConnectionDialect) throws -> SecretsManagerTierSource {
        let settings = try resolveSettings(configuration, deployment)
        return SecretsManagerTierSource(settings: settings, api: SecretsManagerAPI(client: try client(settings)),
                                        tier: tier, dialect: dialect, concurrency: concurrency)
    }

    public func makeParameterStoreSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                                         dialect: ConnectionDialect) throws -> ParameterStoreTierSource {
        let settings = try resolveSettings(configuration, deployment)
        return ParameterStoreTierSource(settings: settings, api: ParameterStoreAPI(client: try client(settings)),
                                        tier: tier, dialect: dialect)
    }

    private func resolveSettings(_ configuration: BackendConfiguration, _ deployment: Deployment) throws -> AWSBackendSettings {
        do {
            return try AWSBackendSettings(configuration: configuration, deployment: deployment, homeDirectory: homeDirectory)
        } catch let error as AWSSetupError {
            throw TierError(error.message)
        }
    }

    private func client(_ settings: AWSBackendSettings) throws -> AWSJSONClient {
        let transport: any HTTPTransport
        do {
            transport = try makeTransport(TLSSettings(caBundlePath: settings.caBundlePath))
        } catch {
            throw TierError("cannot set up HTTPS for \(settings.service.displayName): \(error)")
        }
        let role = settings.role
        let credentials = AWSCredentialSource(plan: settings.credentials, role: role, transport: transport, retry: retry, clock: clock)
        return AWSJSONClient(service: settings.service, endpoint: settings.endpoint, region: settings.region,
                             transport: transport, credentials: credentials, retry: retry, clock: clock)
    }
}
