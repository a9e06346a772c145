import Foundation
import Testing
import Engine
import TestSupport

/// The built `strata` binary against a Vault that accepts connections and never answers:
/// `strata list` answers by the deployment's tier deadline with the backend marked failed and
/// the other tiers listed, and Ctrl-C ends it at once.
@Suite("strata list with a hanging backend")
struct ListUnderFaultTests {
    func workspace() async throws -> TemporaryDirectory {
        let bao = try TestServices.require(["STRATA_TEST_VAULT_ADDR", "STRATA_TEST_VAULT_TOKEN"], service: "OpenBao", script: "openbao")
        let proxy = try await FaultProxy.shared(upstream: FaultSetup.hostPort(bao[0]))
        let kwargs = TestServices.json(["url": proxy.url(.hang), "token": bao[1], "mount_point": "secret"])
        let dir = try TemporaryDirectory("strata-list-fault")
        _ = try dir.write("strata.yaml", """
            deployments:
              - name: incident
                timeouts: {connect: 1, request: 1, tier: 2}
                env:
                  AIRFLOW__SECRETS__BACKEND: \(TestServices.vaultClass)
                  AIRFLOW__SECRETS__BACKEND_KWARGS: '\(kwargs)'
                  AIRFLOW_VAR_FAULT_CANARY: still here
            """)
        return dir
    }

    /// Runs blocking process work on a Dispatch thread, so that waiting for the child does not
    /// hold one of the few cooperative threads the other suites' deadlines need.
    func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test func listAnswersByTheTierDeadlineAndShowsTheOtherTiers() async throws {
        let dir = try await workspace()
        defer { dir.remove() }
        let started = Date()
        let url = dir.url
        let result = try await offPool { try StrataProcess.run(["list", "--json"], in: url) }
        let elapsed = Date().timeIntervalSince(started)
        // A configured tier that could not be read fails the command, so CI notices…
        #expect(result.status == 1)
        #expect(elapsed < 2 + 2.5, "strata list took \(elapsed) s with a 2 s tier deadline")
        #expect(result.stdout.contains("fault_canary"))
        #expect(result.stderr.contains("within 2 s") || result.stdout.contains("within 2 s"))
        // …unless the caller accepts a partial answer.
        let allowed = try await offPool { try StrataProcess.run(["list", "--json", "--allow-unavailable"], in: url) }
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("fault_canary"))
    }

    @Test func ctrlCEndsAHangingListAtOnce() async throws {
        let dir = try await workspace()
        defer { dir.remove() }
        // A long tier deadline, so only the interrupt can end it early.
        let text = try String(contentsOf: dir.url.appendingPathComponent("strata.yaml"), encoding: .utf8)
        _ = try dir.write("strata.yaml", text.replacingOccurrences(of: "request: 1, tier: 2", with: "request: 60, tier: 60"))
        let process = Process()
        process.executableURL = StrataProcess.binary
        process.arguments = ["list"]
        process.currentDirectoryURL = dir.url
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "interactive=no"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .seconds(1))
        let interrupted = Date()
        process.interrupt()
        while process.isRunning && Date().timeIntervalSince(interrupted) < 5 { try await Task.sleep(for: .milliseconds(50)) }
        let stillRunning = process.isRunning
        if stillRunning { process.terminate() }
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!stillRunning, "strata list was still running 5 s after SIGINT")
        #expect(Date().timeIntervalSince(interrupted) < 2)
        // Killed by SIGINT (a shell shows 130) or exited 130 after handling it.
        let byInterrupt = (process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT)
            || process.terminationStatus == 130
        #expect(byInterrupt, "status \(process.terminationStatus), reason \(process.terminationReason.rawValue)")
    }
}
