import Foundation
import Testing
import Backends
import Engine
import RemoteSupport
import TestSupport

/// A hostile or broken server never hangs Strata and never crashes it: for every fault
/// testservers/faultproxy.py can inject and every remote tier family, a whole deployment load
/// through the app's tier factory ends within the deployment's tier deadline (plus a small
/// margin), the backend tier fails with a reason that names the fault, and the environment
/// tier still shows.
@Suite("Remote faults through the app tier factory")
struct RemoteFaultSuiteTests {
    /// Short deadlines keep the suite quick: every case ends by about `tier` seconds.
    static let timeouts = RemoteTimeouts(connect: .seconds(1), request: .seconds(1), tier: .seconds(2))
    /// Scheduling slack: the full `swift test` runs many suites at once on a 2-core machine, and
    /// tests that wait on child processes hold cooperative threads meanwhile.
    static let margin = 2.5

    enum Family: String, CaseIterable, Sendable {
        case vault, secretsManager = "secrets-manager", gcp, azure
        /// GCP whose Secret Manager answers well but whose OAuth token endpoint has the fault.
        case gcpToken = "gcp-token"
    }

    struct Case: Sendable {
        var family: Family
        var fault: FaultProxy.Fault
        var name: String { "\(family.rawValue)/\(fault.rawValue)" }
    }

    /// What the failure reason must mention (any one of them, case-insensitively).
    static func expected(_ fault: FaultProxy.Fault) -> [String] {
        switch fault {
        case .hang: return ["within"]
        case .stall, .drip: return ["sent its headers"]
        case .reset: return ["connection"]
        case .retry1e300, .retryInf, .retryNegative, .retryGarbage, .retryFuture: return ["429", "throttl"]
        case .malformed: return ["malformed json", "application/json"]
        case .html: return ["text/html"]
        case .huge, .hugeChunked: return ["larger than 32 mib"]
        case .redirect: return ["redirect"]
        case .plainForTLS: return ["plain http, not tls"]
        case .tlsForPlain: return ["if it speaks tls"]
        }
    }

    static var cases: [Case] {
        Family.allCases.flatMap { family in
            FaultProxy.Fault.allCases.filter { !(family == .azure && $0 == .tlsForPlain) && $0 != .hugeChunked }.map { Case(family: family, fault: $0) }
        }
    }

    @Test func everyFaultOfEveryRemoteFamilyEndsByTheTierDeadlineWithAReasonNamingIt() async throws {
        let setup = try await FaultSetup()
        let figures = FaultSuiteFigures()
        let results = await mapConcurrently(Self.cases, limit: 6) { item -> (Case, Double, DeploymentState?, String?) in
            do {
                let deployment = try setup.deployment(item.family, fault: item.fault)
                let started = ContinuousClock.now
                let state = await DeploymentLoader(factory: AppTierFactory()).loadAll(deployment, context: .server)
                return (item, Self.seconds(ContinuousClock.now - started), state, nil)
            } catch {
                return (item, 0, nil, "\(error)")
            }
        }
        let limit = Self.seconds(Self.timeouts.tier) + Self.margin
        for (item, elapsed, state, setupError) in results {
            guard let state else {
                Issue.record("\(item.name): could not set up: \(setupError ?? "")")
                continue
            }
            figures.record(item.name, seconds: elapsed)
            #expect(elapsed <= limit, "\(item.name) took \(String(format: "%.2f", elapsed)) s, more than \(limit) s")
            guard case .failed(let reason)? = state.tiers[.backend] else {
                Issue.record("\(item.name): the backend tier should have failed, it is \(Self.describe(state.tiers[.backend]))")
                continue
            }
            let lowered = reason.lowercased()
            let clean = setup.scrub(reason)
            let namesTheFault = Self.expected(item.fault).contains { lowered.contains($0) }
            // The expectation's comment shows only in verbose runs: CI's log gets the case and reason too.
            if !namesTheFault { print("fault case \(item.name): the reason does not name the fault: \(InertText.make(clean))") }
            #expect(namesTheFault, "\(item.name): the reason should name the fault (\(Self.expected(item.fault))): \(clean)")
            #expect(clean == reason, "\(item.name): the reason holds a credential")
            #expect(!reason.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(item.name): control characters")
            #expect(state.resolve(.variable("fault_canary")).value == .variable("still here"),
                    "\(item.name): the environment tier should still show")
        }
        print("fault suite (remote tiers through AppTierFactory): \(figures.summary)")
    }

    @Test func aPostgreSQLMetastoreThatHangsOrDripsIsCutOffAtTheTierDeadline() async throws {
        let setup = try await FaultSetup()
        let figures = FaultSuiteFigures()
        let modes = ["hang", "drip", "stall", "reset"]
        let results = await mapConcurrently(modes, limit: 4) { mode -> (String, Double, DeploymentState?) in
            guard let deployment = try? await setup.postgresDeployment(mode: mode) else { return (mode, 0, nil) }
            let started = ContinuousClock.now
            let state = await DeploymentLoader(factory: AppTierFactory()).loadAll(deployment, context: .server)
            return (mode, Self.seconds(ContinuousClock.now - started), state)
        }
        let limit = Self.seconds(Self.timeouts.tier) + Self.margin
        for (mode, elapsed, state) in results {
            guard let state else {
                Issue.record("postgres/\(mode): could not set up")
                continue
            }
            figures.record("postgres/\(mode)", seconds: elapsed)
            #expect(elapsed <= limit, "postgres/\(mode) took \(String(format: "%.2f", elapsed)) s")
            guard case .failed(let reason)? = state.tiers[.metastore] else {
                Issue.record("postgres/\(mode): the metastore should have failed, it is \(Self.describe(state.tiers[.metastore]))")
                continue
            }
            if mode != "reset" { #expect(reason.contains("within 2 s"), "postgres/\(mode): \(setup.scrub(reason))") }
            #expect(!reason.contains(setup.postgresPassword), "postgres/\(mode): the reason holds the password")
            #expect(state.resolve(.variable("fault_canary")).value == .variable("still here"))
        }
        print("fault suite (PostgreSQL metastore, raw TCP): \(figures.summary)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func describe(_ state: TierLoadState?) -> String {
        switch state {
        case .loaded?: return "loaded"
        case .failed?: return "failed"
        case .unavailable(let reason)?: return "unavailable (\(reason))"
        case .loading?: return "loading"
        case nil: return "absent"
        }
    }
}

/// The servers, their proxies and the deployments pointing at one fault each.
struct FaultSetup: Sendable {
    let vaultProxy, motoProxy, gcpProxy, azureProxy: FaultProxy
    let vaultToken: String
    let moto: [String]
    let gcpDeployment: Deployment
    /// The Azure double's credentials (client_id, tenant_id, client_secret).
    let azure: [String: String]
    let azureCA: String
    let postgresURL: URLComponents
    var postgresPassword: String { postgresURL.password ?? "\u{0}" }

    init() async throws {
        let bao = try TestServices.require(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"], service: "OpenBao", script: "openbao")
        moto = try TestServices.require(["STRATA_TEST_MOTO_URL", "STRATA_TEST_MOTO_ACCESS_KEY_ID", "STRATA_TEST_MOTO_SECRET_ACCESS_KEY"],
                                        service: "moto", script: "moto")
        let doubles = try TestServices.doubles()
        let postgres = try TestServices.require(["STRATA_TEST_POSTGRES_URL"], service: "PostgreSQL", script: "postgres")
        vaultToken = bao[1]
        vaultProxy = try await FaultProxy.shared(upstream: Self.hostPort(bao[0]))
        motoProxy = try await FaultProxy.shared(upstream: Self.hostPort(moto[0]))
        gcpProxy = try await FaultProxy.shared(upstream: Self.hostPort(doubles.gcpURL))
        let key = URL(fileURLWithPath: doubles.dir).appendingPathComponent("azure-key.pem").path
        azureProxy = try await FaultProxy.shared(upstream: Self.hostPort(doubles.azureURL), tls: (doubles.azureCA, key))
        gcpDeployment = try TestServices.gcpDeployment(project: "faults")
        azure = try TestServices.doubleDetails("azure.json").compactMapValues { $0 as? String }
        azureCA = doubles.azureCA
        guard let components = URLComponents(string: postgres[0]) else { throw TestServices.Missing(description: "bad STRATA_TEST_POSTGRES_URL") }
        postgresURL = components
    }

    static func hostPort(_ url: String) -> String {
        let components = URLComponents(string: url)
        return "127.0.0.1:\(components?.port ?? 0)"
    }

    /// A deployment whose backend reaches `fault`, with short timeouts and an environment variable.
    func deployment(_ family: RemoteFaultSuiteTests.Family, fault: FaultProxy.Fault) throws -> Deployment {
        let scheme = fault == .plainForTLS || family == .azure ? "https" : "http"
        var deployment: Deployment
        switch family {
        case .vault:
            let kwargs: [String: Any] = ["url": vaultProxy.url(fault, scheme: scheme), "token": vaultToken, "mount_point": "secret"]
            deployment = Deployment(name: "vault-fault", environment: DeploymentEnvironment([
                "AIRFLOW__SECRETS__BACKEND": TestServices.vaultClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": TestServices.json(kwargs),
            ]))
        case .secretsManager:
            deployment = Deployment(name: "aws-fault", environment: DeploymentEnvironment([
                "AIRFLOW__SECRETS__BACKEND": TestServices.secretsManagerClass,
                "AIRFLOW__SECRETS__BACKEND_KWARGS": #"{"connections_prefix": "faults/connections", "variables_prefix": "faults/variables"}"#,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": moto[1], "AWS_SECRET_ACCESS_KEY": moto[2],
                "AWS_ENDPOINT_URL": motoProxy.url(fault, scheme: scheme),
            ]))
        case .gcp:
            deployment = gcpDeployment
            deployment.environment.set("STRATA_GCP_SECRET_MANAGER_ENDPOINT", gcpProxy.url(fault, scheme: scheme), origin: .inline)
        case .gcpToken:
            deployment = try gcpDeploymentWithTokenEndpoint(gcpProxy.url(fault, scheme: scheme))
        case .azure:
            let base = azureProxy.url(fault, scheme: "https")
            let kwargs: [String: Any] = ["connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables",
                                         "vault_url": base + "/vaults/faults", "verify_challenge_resource": false]
            deployment = Deployment(name: "azure-fault", environment: DeploymentEnvironment([
                "AZURE_CLIENT_ID": azure["client_id"] ?? "", "AZURE_TENANT_ID": azure["tenant_id"] ?? "",
                "AZURE_CLIENT_SECRET": azure["client_secret"] ?? "", "AZURE_AUTHORITY_HOST": base,
                "REQUESTS_CA_BUNDLE": azureCA,
                "AIRFLOW__SECRETS__BACKEND": TestServices.azureClass, "AIRFLOW__SECRETS__BACKEND_KWARGS": TestServices.json(kwargs),
            ]))
        }
        deployment.environment.set("AIRFLOW_VAR_FAULT_CANARY", "still here", origin: .inline)
        deployment.timeouts = RemoteFaultSuiteTests.timeouts
        return deployment
    }

    /// The GCP deployment with its key's `token_uri` moved behind `proxyBase` (same path).
    func gcpDeploymentWithTokenEndpoint(_ proxyBase: String) throws -> Deployment {
        var deployment = gcpDeployment
        guard let kwargsText = deployment.environment["AIRFLOW__SECRETS__BACKEND_KWARGS"],
              var kwargs = try JSONSerialization.jsonObject(with: Data(kwargsText.utf8)) as? [String: Any],
              let keyText = kwargs["gcp_keyfile_dict"] as? String,
              var key = try JSONSerialization.jsonObject(with: Data(keyText.utf8)) as? [String: Any],
              let tokenURI = key["token_uri"] as? String, let path = URLComponents(string: tokenURI)?.path else {
            throw TestServices.Missing(description: "the GCP double's key has no token_uri")
        }
        key["token_uri"] = proxyBase + path
        kwargs["gcp_keyfile_dict"] = TestServices.json(key)
        deployment.environment.set("AIRFLOW__SECRETS__BACKEND_KWARGS", TestServices.json(kwargs), origin: .inline)
        return deployment
    }

    /// A deployment without a secrets backend whose PostgreSQL metastore sits behind a raw TCP fault.
    func postgresDeployment(mode: String) async throws -> Deployment {
        let proxy = try await FaultProxy.shared(upstream: "127.0.0.1:\(postgresURL.port ?? 5432)", raw: true)
        var url = postgresURL
        url.host = "127.0.0.1"
        url.port = proxy.ports[mode]
        var deployment = Deployment(name: "postgres-fault", environment: DeploymentEnvironment(["AIRFLOW_VAR_FAULT_CANARY": "still here"]),
                                    metastoreURL: url.string)
        deployment.timeouts = RemoteFaultSuiteTests.timeouts
        return deployment
    }

    /// `text` without any credential these deployments carry.
    func scrub(_ text: String) -> String {
        var out = text
        let secrets = [vaultToken, moto[2], azure["client_secret"] ?? "", postgresURL.password ?? ""]
        for secret in secrets where secret.count >= 4 { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }
}
