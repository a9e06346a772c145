import Foundation

// strata-bench [NAME…] [--metastore-postgres URL]: runs the named benchmarks (default: every
// one that needs no server). Benchmarks against servers read the addresses that
// scripts/services/*.sh export (STRATA_TEST_POSTGRES_URL, STRATA_TEST_MOTO_URL, …).
let available: [String: () async throws -> Void] = [
    "codec": { try runCodecBenchmark() },
    "resolve": { try await runResolveBenchmark() },
    "local": { try await runLocalTiersBenchmark() },
    "tui": { try runTUIBenchmark() },
    "metastore": { try await runMetastoreBenchmark() },
    "cloud": { try await runCloudBenchmark() },
]
let offline = ["codec", "resolve", "local", "metastore", "tui"]

var names: [String] = []
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    if argument.hasPrefix("--") { _ = arguments.next(); continue } // a benchmark's own option and its value
    names.append(argument)
}
var failed = false
for name in names.isEmpty ? offline : names {
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
