import Foundation
import Engine
import RemoteSupport

/// Makes HashiCorp Vault (and OpenBao) tiers and writers from a deployment's backend settings.
public struct VaultTierProvider: BackendTierProvider {
    /// Makes the HTTP transport for one deployment's TLS settings.
    public typealias TransportFactory = @Sendable (_ tls: TLSSettings) throws -> any HTTPTransport

    public var families: Set<BackendFamily> { [.vault] }

    let makeTransport: TransportFactory
    let clock: any WallClock
    let retry: RetryPolicy
    /// Requests in flight at once while listing and reading.
    let concurrency: Int
    /// Names per LIST page.
    let pageSize: Int

    /// The provider the app uses: async-http-client (one pool per CA bundle), the system clock.
    public init(clock: any WallClock = SystemClock(), retry: RetryPolicy = .standard, concurrency: Int = 16,
                pageSize: Int = 1000) {
        self.init(transport: { try HTTPClientTransport.shared(tls: $0) }, clock: clock, retry: retry,
                  concurrency: concurrency, pageSize: pageSize)
    }

    public init(transport: @escaping TransportFactory, clock: any WallClock = SystemClock(), retry: RetryPolicy = .standard,
                concurrency: Int = 16, pageSize: Int = 1000) {
        self.makeTransport = transport
        self.clock = clock
        self.retry = retry
        self.concurrency = concurrency
        self.pageSize = pageSize
    }

    public func makeSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID,
                           dialect: ConnectionDialect) throws -> any TierSource {
        try makeVaultSource(configuration: configuration, deployment: deployment, tier: tier, dialect: dialect)
    }

    /// The Vault tier itself (for reads of single keys, config options and the client's counters).
    public func makeVaultSource(configuration: BackendConfiguration, deployment: Deployment, tier: TierID = .backend,
                                dialect: ConnectionDialect = .core) throws -> VaultTierSource {
        guard configuration.family == .vault else {
            throw TierError("VaultTierProvider handles the HashiCorp Vault backend, not \(configuration.classPath).")
        }
        let settings: VaultSettings
        do {
            settings = try VaultSettings(configuration: configuration, deployment: deployment)
        } catch {
            throw error.asVaultTierError
        }
        let transport: any HTTPTransport
        do {
            transport = try makeTransport(TLSSettings(caBundlePath: settings.caBundlePath))
        } catch let failure as TransportFailure {
            throw TierError("cannot use the CA bundle \(settings.caBundlePath ?? "(system)") for Vault: \(failure.detail). "
                            + "Point verify (or VAULT_CACERT) at a PEM file of certificates.")
        } catch {
            throw TierError("cannot set up HTTPS for Vault (\(type(of: error))).")
        }
        let client = VaultClient(settings: settings, transport: transport, retry: retry, clock: clock)
        return VaultTierSource(settings: settings, client: client, tier: tier, dialect: dialect,
                               concurrency: concurrency, pageSize: pageSize)
    }

    /// A writer for the deployment's Vault backend (for editing values in place).
    public func makeWriter(configuration: BackendConfiguration, deployment: Deployment,
                           dialect: ConnectionDialect = .core) throws -> VaultSecretWriter {
        VaultSecretWriter(source: try makeVaultSource(configuration: configuration, deployment: deployment,
                                                      tier: .backend, dialect: dialect),
                          dialect: dialect)
    }
}
