import Backends
import Editing
import Engine
import Foundation
import Testing
import TestSupport

/// `strata copy --move` killed (SIGKILL: no cleanup runs) at random moments while it moves the
/// metastore real Airflow wrote into OpenBao: after every kill each key is in the source, or in
/// the target with its value, or both — never in neither — and running the command again
/// finishes the move.
@Suite("An interrupted move loses nothing and a re-run completes it")
struct InterruptedMoveTests {
    /// Starts `strata arguments…` in `directory`, kills it after `delay` unless it ended first;
    /// true when it ran to its end. Waited for on a thread of its own.
    static func run(_ arguments: [String], in directory: URL, killAfter delay: Duration?) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = StrataProcess.binary
                    process.arguments = arguments
                    process.currentDirectoryURL = directory
                    var environment = ProcessInfo.processInfo.environment
                    environment["SWIFT_BACKTRACE"] = "enable=no"
                    process.environment = environment
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    if let delay {
                        let deadline = Date().addingTimeInterval(Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
                        while process.isRunning && Date() < deadline { usleep(2_000) }
                        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    }
                    process.waitUntilExit()
                    return process.terminationReason == .exit
                })
            }
        }
    }

    @Test func killedAtRandomMomentsNothingIsLostAndARerunFinishes() async throws {
        let directory = try TemporaryDirectory("strata-interrupted-move")
        defer { directory.remove() }
        _ = try directory.copyWritable(MetastoreFixture.mainDatabase, as: "airflow.sqlite")
        let keys = "\(try MetastoreFixture.keyNew),\(try MetastoreFixture.keyOld)"
        let kwargs = try await MigrateIntoBackendTests.vaultMount()
        let kwargsText = MigrateIntoBackendTests.json(kwargs).replacingOccurrences(of: "'", with: "''")
        try directory.write("strata.yaml", """
        deployments:
          - name: prod
            airflow: 3
            metastore: sqlite:///airflow.sqlite
            env:
              AIRFLOW__CORE__FERNET_KEY: '\(keys)'
              AIRFLOW__SECRETS__BACKEND: \(MigrateIntoBackendTests.vaultClass)
              AIRFLOW__SECRETS__BACKEND_KWARGS: '\(kwargsText)'
        """)
        let workspace = try Workspace.load(directory.url.appendingPathComponent("strata.yaml"))
        let deployment = try #require(workspace.deployment(named: "prod"))
        let loader = DeploymentLoader(factory: AppTierFactory())
        let original = CopyItems.fromTier(.metastore, of: await loader.loadAll(deployment, context: .server)).items
        #expect(original.count == 25)

        var generator = SeededGenerator()
        let arguments = ["copy", "--from", "metastore", "--to", "backend", "--move", "--yes", "--concurrency", "2"]
        var killed = 0
        for round in 0..<6 {
            let delay = Duration.milliseconds(Int.random(in: 150...900, using: &generator))
            let finished = try await Self.run(arguments, in: directory.url, killAfter: delay)
            if !finished { killed += 1 }
            let state = await loader.loadAll(deployment, context: .server)
            for item in original {
                let resolution = state.resolve(item.key)
                let source = resolution.tiers.first { $0.tier == .metastore }?.state
                let target = resolution.tiers.first { $0.tier == .backend }?.state
                let inSource = Self.holds(source, item)
                let inTarget = Self.holds(target, item)
                if case .present(let held)? = target {
                    #expect(held.holdsSameValue(as: item.value.tierValue), "round \(round) (seed \(generator.seed)): \(item.key) in the target differs")
                }
                #expect(inSource || inTarget, "round \(round) (seed \(generator.seed)): \(item.key) is in neither tier")
            }
            if finished { break }
        }
        #expect(killed >= 1, "at least one run was interrupted (seed \(generator.seed))")
        #expect(try await Self.run(arguments, in: directory.url, killAfter: nil))
        let done = await loader.loadAll(deployment, context: .server)
        #expect(CopyItems.fromTier(.metastore, of: done).items.isEmpty, "the re-run finished the move")
        for item in original {
            let target = done.resolve(item.key).tiers.first(where: { $0.tier == .backend })?.state
            #expect(Self.holds(target, item), "\(item.key) is missing from the backend after the re-run")
            if case .present(let held)? = target { #expect(held.holdsSameValue(as: item.value.tierValue)) }
        }
    }

    /// Whether a tier's state for the item's key is a value: present, or an empty variable.
    static func holds(_ state: ResolvedState?, _ item: CopyItem) -> Bool {
        switch state {
        case .present?: return true
        case .empty?: return item.key.kind == .variable && item.value.tierValue.isEmptyValue
        default: return false
        }
    }
}
