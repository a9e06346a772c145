import Foundation

// strata-bench [NAME…]: runs the named benchmarks (default: every one that needs no server).
// Servers: `metastore` reads STRATA_TEST_POSTGRES_URL for its PostgreSQL half; `aws`, `vault`
// and `cloud` read the addresses scripts/services/*.sh export.
let available: [String: () async throws -> Void] = [
    "resolve": { try await runResolveBenchmark() },
    "local": { try await runLocalTiersBenchmark() },
    "tui": { try runTUIBenchmark() },
]
let offline = ["resolve", "local", "tui"]
let requested = CommandLine.arguments.dropFirst().isEmpty ? offline : Array(CommandLine.arguments.dropFirst())
var failed = false
for name in requested {
    guard let benchmark = available[name] else {
        print("strata-bench: unknown benchmark '\(name)'; choose from \(available.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    print("== \(name)")
    do {
        try await benchmark()
    } catch {
        print("  failed: \(error)")
        failed = true
    }
    print("")
}
exit(failed ? 1 : 0)
