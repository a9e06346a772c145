import Foundation

// strata-bench [NAME…] [--metastore-postgres URL]: runs the named benchmarks (default: every
// one that needs no server). Benchmarks against servers read the addresses that
// scripts/services/*.sh export (STRATA_TEST_POSTGRES_URL, STRATA_TEST_MOTO_URL, …).
let available: [String: () async throws -> Void] = [
    "codec": { try runCodecBenchmark() },
    "urilines": { try runURILinesBenchmark() },
    "compare": { try await runCompareBenchmark() },
    "resolve": { try await runResolveBenchmark() },
    "local": { try await runLocalTiersBenchmark() },
    "tui": { try runTUIBenchmark() },
    "metastore": { try await runMetastoreBenchmark() },
    "cloud": { try await runCloudBenchmark() },
    "bigfiles": { try await runBigFilesBenchmark() },
    "api": { try await runAPIBenchmark() },
    "move": { try await runMoveBenchmark() },
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
        if let tlsAddress = env["STRATA_TEST_VAULT_TLS_ADDR"], let tlsToken = env["STRATA_TEST_VAULT_TLS_TOKEN"],
           let ca = env["STRATA_TEST_VAULT_TLS_CA"] {
            print("vault over TLS (\(tlsAddress)):")
            try await runVaultBenchmark(address: tlsAddress, token: tlsToken, caBundle: ca)
        }
    },
]
let offline = ["codec", "resolve", "local", "compare", "metastore", "tui"]

// `bigfiles` runs each file shape in a child started as `strata-bench bigfiles-child SHAPE PATH`.
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "bigfiles-child" {
    exit(await runBigFilesChild(shapeName: CommandLine.arguments[2], path: CommandLine.arguments[3]))
}

var names: [String] = []
var options: [String] = []
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    if argument == "--help" || argument == "-h" {
        print("strata-bench [NAME…] [--metastore-postgres URL]\n  benchmarks: \(available.keys.sorted().joined(separator: ", "))"
            + "\n  default (no server needed): \(offline.joined(separator: " "))")
        exit(0)
    }
    if argument.hasPrefix("--") { // a benchmark's own option and its value
        options.append(argument)
        if let value = arguments.next() { options.append(value) }
        continue
    }
    names.append(argument)
}
let selected = names.isEmpty ? offline : names
var failed = false
if selected.count > 1 {
    // One process per benchmark: peak memory and allocator state are then each benchmark's own,
    // not what the benchmarks before it left behind.
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    for name in selected {
        let child = Process()
        child.executableURL = executable
        child.arguments = [name] + options
        do {
            try child.run()
            child.waitUntilExit()
            if child.terminationStatus != 0 { failed = true }
        } catch {
            print("== \(name)\n  failed: \(error)\n")
            failed = true
        }
    }
    exit(failed ? 1 : 0)
}
for name in selected {
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
