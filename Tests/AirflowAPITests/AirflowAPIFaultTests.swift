import Foundation
import Testing
import Backends
import Engine
import RemoteSupport
import TestSupport

/// A hostile or broken server in front of Airflow's REST API never hangs or crashes Strata: for
/// every fault the fault proxy injects, loading a deployment whose metastore is the API ends by
/// the tier deadline, the metastore tier fails with a reason that names the fault, and the
/// environment tier still shows.
@Suite("Airflow's REST API under faults")
struct AirflowAPIFaultTests {
    static let timeouts = RemoteTimeouts(connect: .seconds(1), request: .seconds(1), tier: .seconds(2))
    static let margin = 2.5

    static func expected(_ fault: FaultProxy.Fault) -> [String] {
        switch fault {
        case .hang: return ["within"]
        case .stall, .drip: return ["sent its headers"]
        case .reset: return ["connection"]
        case .retry1e300, .retryInf, .retryNegative, .retryGarbage, .retryFuture: return ["429"]
        case .malformed: return ["malformed json", "application/json"]
        case .html: return ["text/html"]
        case .huge, .hugeChunked: return ["larger than 32 mib"]
        case .redirect: return ["redirect"]
        case .plainForTLS: return ["plain http, not tls"]
        case .tlsForPlain: return ["if it speaks tls"]
        }
    }

    @Test func everyFaultEndsByTheTierDeadlineWithAReasonNamingIt() async throws {
        let airflow = try RealAirflow.airflow3()
        let token = try await airflow.jwt()
        let proxy = try await FaultProxy.shared(upstream: URL(string: airflow.url)!.host! + ":" + String(URL(string: airflow.url)!.port!))
        let figures = FaultSuiteFigures()
        let faults = FaultProxy.Fault.allCases.filter { $0 != .hugeChunked && $0 != .tlsForPlain }
        let results = await mapConcurrently(faults, limit: 4) { fault -> (FaultProxy.Fault, Double, DeploymentState) in
            var environment = DeploymentEnvironment()
            environment.set("STRATA_TEST_TOKEN", token, origin: .inline)
            environment.set("AIRFLOW_VAR_FAULT_CANARY", "still here", origin: .inline)
            var deployment = Deployment(name: "api-fault", airflowVersion: .v3, environment: environment)
            deployment.api = AirflowAPISettings(baseURL: URL(string: proxy.url(fault, scheme: fault == .plainForTLS ? "https" : "http"))!,
                                                signIn: .token(variable: "STRATA_TEST_TOKEN"))
            deployment.timeouts = Self.timeouts
            let started = ContinuousClock.now
            let state = await DeploymentLoader(factory: AppTierFactory()).loadAll(deployment, context: .server)
            let elapsed = ContinuousClock.now - started
            return (fault, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, state)
        }
        let limit = 2 + Self.margin
        for (fault, elapsed, state) in results {
            figures.record("api/\(fault.rawValue)", seconds: elapsed)
            #expect(elapsed <= limit, "api/\(fault.rawValue) took \(elapsed) s")
            guard case .failed(let reason)? = state.tiers[.metastore] else {
                Issue.record("api/\(fault.rawValue): the metastore should have failed")
                continue
            }
            let lowered = reason.lowercased()
            #expect(Self.expected(fault).contains { lowered.contains($0) }, "api/\(fault.rawValue): \(InertText.make(reason))")
            #expect(!reason.contains(token), "api/\(fault.rawValue): the reason holds the token")
            #expect(!reason.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(state.resolve(.variable("fault_canary")).value == .variable("still here"))
        }
        print("fault suite (Airflow REST API metastore): \(figures.summary)")
    }
}
