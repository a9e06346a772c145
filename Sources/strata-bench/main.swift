import Foundation

// strata-bench [NAME…] [--metastore-postgres URL]: runs the named benchmarks (default: every
// one that needs no server). Benchmarks against servers read the addresses that
// scripts/services/*.sh export (STRATA_TEST_POSTGRES_URL, STRATA_TEST_MOTO_URL, …).
let available: [String: () async throws -> Void] = [
    "codec": { try runCodecBenchmark() },
    "compare": { try await runCompareBenchmark() },
    "resolve": { try await runResolveBenchmark() },
    "local": { try await runLocalTiersBenchmark() },
    "tui": { try runTUIBenchmark() },
    "metastore": { try await runMetastoreBenchmark() },
    "cloud": { try await runCloudBenchmark() },
    "aws": {
        guard let url = ProcessInfo.processInfo.environment["STRATA_TEST_MOTO_URL"] else {
            throw BenchError("set STRATA_TEST_MOTO_URL (scripts/services/moto.sh start)")
        }
        try await runAWSBenchmark(motoURL: url)
    },
    "vault": {
        let env = ProcessInfo.processInfo.environment
        guard let address = env["STRATA_TEST_VAULT_ADDR"], let token = env["STRATA_TEST_VAULT_TOKEN"] else {
            throw BenchError("set STRATA_TEST_VAULT_ADDR and STRATA_TEST_VAULT_TOKEN (scripts/services/openbao.sh start)")
        }
        try await runVaultBenchmark(address: address, token: token)
    },
]
// Each benchmark resets the peak-memory mark it reports; the metastore one (which keeps the
// process-wide figure) runs last so that its large buffers are not resident under the others.
let offline = ["codec", "resolve", "local", "compare", "tui", "metastore"]

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

/// A benchmark that cannot run, with what to do.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
