import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loads one ~50 MB file of each shape Strata reads from disk (a deployment `.env`, the
/// local-files backend's `.env` / `.json` / `.yaml` for variables and for connections, and a
/// `strata.yaml` with a huge `env` block or with very many deployments) and prints, per shape,
/// the load time and the peak RSS growth over the process's size before the load. Each shape
/// runs in a fresh child process, so its peak is its own. Goal: under 3 s and under 4x the
/// file's size in a release build.
func runBigFilesBenchmark() async throws {
    let targetBytes = bigFilesTargetBytes()
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("strata-bench-bigfiles-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    print("bigfiles: \(targetBytes / 1_000_000) MB per shape, each loaded in a fresh process (goal: < 3 s, growth < 4x the file)")
    print("  " + "shape".padding(toLength: 34, withPad: " ", startingAt: 0) + "   file MB   lines     records    load s   peak growth MB  x file")
    fflush(nil) // the children write to the same output
    var failed = false
    for shape in BigFileShape.allCases {
        let path = try shape.generate(in: folder, targetBytes: targetBytes)
        let child = Process()
        child.executableURL = executable
        child.arguments = ["bigfiles-child", shape.rawValue, path.path]
        try child.run()
        // A shape that takes minutes is reported as such rather than waited for.
        let deadline = Date().addingTimeInterval(bigFilesTimeLimit)
        while child.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if child.isRunning {
            child.terminate()
            child.waitUntilExit()
            print("  " + shape.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0) + " stopped after \(Int(bigFilesTimeLimit)) s")
            failed = true
        } else if child.terminationStatus != 0 {
            failed = true
        }
        try? FileManager.default.removeItem(at: path)
    }
    if failed { throw BenchError("a shape failed (see above)") }
}

/// How long one shape may take before it is stopped.
private let bigFilesTimeLimit: TimeInterval = 120

/// `STRATA_BENCH_BIGFILES_MB` overrides the 50 MB default (for a quick look).
private func bigFilesTargetBytes() -> Int {
    let megabytes = ProcessInfo.processInfo.environment["STRATA_BENCH_BIGFILES_MB"].flatMap { Int($0) } ?? 50
    return min(max(megabytes, 1), 2_000) * 1_000_000
}

/// The child side: loads one generated file and prints its line of figures.
func runBigFilesChild(shapeName: String, path: String) async -> Int32 {
    guard let shape = BigFileShape(rawValue: shapeName) else {
        print("bigfiles: unknown shape \(shapeName)")
        return 2
    }
    let url = URL(fileURLWithPath: path)
    let fileBytes = shape.fileBytes(of: url)
    let lines = shape.lineCount(of: url)
    let before = ProcessMemory.residentBytes()
    let clock = ContinuousClock()
    let start = clock.now
    let outcome: String
    var ok = true
    do {
        outcome = String(try await shape.load(url))
    } catch {
        outcome = "failed: \(String(describing: error).prefix(160))"
        ok = false
    }
    let elapsed = clock.now - start
    let growth = max(0, ProcessMemory.peakResidentBytes() - before)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let ratio = fileBytes > 0 ? Double(growth) / Double(fileBytes) : 0
    print("  " + shape.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: " %9.1f %8d ", Double(fileBytes) / 1e6, lines)
          + outcome.padding(toLength: 10, withPad: " ", startingAt: 0)
          + String(format: " %8.2f %13.1f %9.1f", seconds, Double(growth) / 1e6, ratio))
    fflush(nil)
    return ok ? 0 : 1
}

/// One file shape: how to write ~N bytes of it and how Strata loads it.
enum BigFileShape: String, CaseIterable {
    case deploymentDotEnv = "deployment .env (astro project)"
    case localVariablesEnv = "local-files variables .env"
    case localVariablesJSON = "local-files variables .json"
    case localVariablesYAML = "local-files variables .yaml"
    case localConnectionsEnv = "local-files connections .env"
    case localConnectionsJSON = "local-files connections .json"
    case localConnectionsYAML = "local-files connections .yaml"
    case workspaceEnvBlock = "strata.yaml huge env block"
    case workspaceDeployments = "strata.yaml many deployments"

    /// Writes the file (and any folder around it) and returns the path the child loads.
    func generate(in folder: URL, targetBytes: Int) throws -> URL {
        switch self {
        case .deploymentDotEnv:
            let project = folder.appendingPathComponent("astro-project")
            try FileManager.default.createDirectory(at: project.appendingPathComponent(".astro"), withIntermediateDirectories: true)
            try write(project.appendingPathComponent(".env"), targetBytes: targetBytes) { i in
                "AIRFLOW_VAR_BENCH_VARIABLE_\(i)=value number \(i)\n"
            }
            return project
        case .localVariablesEnv:
            return try write(folder.appendingPathComponent("variables.env"), targetBytes: targetBytes) { i in
                "bench_variable_\(i)=value number \(i)\n"
            }
        case .localVariablesJSON:
            return try write(folder.appendingPathComponent("variables.json"), targetBytes: targetBytes,
                             header: "{\n", footer: "  \"last\": \"end\"\n}\n") { i in
                "  \"bench_variable_\(i)\": \"value number \(i)\",\n"
            }
        case .localVariablesYAML:
            return try write(folder.appendingPathComponent("variables.yaml"), targetBytes: targetBytes) { i in
                "bench_variable_\(i): value number \(i)\n"
            }
        case .localConnectionsEnv:
            return try write(folder.appendingPathComponent("connections.env"), targetBytes: targetBytes) { i in
                "bench_conn_\(i)=postgres://u\(i):p\(i)@db\(i).example.com:5432/db\n"
            }
        case .localConnectionsJSON:
            return try write(folder.appendingPathComponent("connections.json"), targetBytes: targetBytes,
                             header: "{\n", footer: "  \"last\": \"http://h\"\n}\n") { i in
                "  \"bench_conn_\(i)\": {\"conn_type\": \"postgres\", \"host\": \"db\(i).example.com\", \"port\": 5432},\n"
            }
        case .localConnectionsYAML:
            return try write(folder.appendingPathComponent("connections.yaml"), targetBytes: targetBytes) { i in
                "bench_conn_\(i):\n  conn_type: postgres\n  host: db\(i).example.com\n  port: 5432\n"
            }
        case .workspaceEnvBlock:
            return try write(folder.appendingPathComponent("strata-env.yaml"), targetBytes: targetBytes,
                             header: "deployments:\n  - name: big\n    env:\n") { i in
                "      AIRFLOW_VAR_BENCH_VARIABLE_\(i): value number \(i)\n"
            }
        case .workspaceDeployments:
            return try write(folder.appendingPathComponent("strata-deployments.yaml"), targetBytes: targetBytes,
                             header: "deployments:\n") { i in
                "  - name: deployment-\(i)\n    airflow: 3\n"
            }
        }
    }

    func fileBytes(of url: URL) -> Int {
        let file = self == .deploymentDotEnv ? url.appendingPathComponent(".env") : url
        return ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int) ?? 0
    }

    func lineCount(of url: URL) -> Int {
        let file = self == .deploymentDotEnv ? url.appendingPathComponent(".env") : url
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return count
    }

    /// Loads the file as `strata list` would and returns how many records (or deployments) it gave.
    func load(_ url: URL) async throws -> Int {
        switch self {
        case .deploymentDotEnv:
            let workspace = try Workspace.discover(explicitPath: nil, in: url, processEnvironment: [:])
            let snapshot = try await EnvironmentTier(environment: workspace.deployments[0].environment, dialect: .core).load()
            return snapshot.records.count
        case .localVariablesEnv, .localVariablesJSON, .localVariablesYAML:
            return try await LocalFilesystemTier(variablesFile: url, connectionsFile: nil, dialect: .core).load().records.count
        case .localConnectionsEnv, .localConnectionsJSON, .localConnectionsYAML:
            return try await LocalFilesystemTier(variablesFile: nil, connectionsFile: url, dialect: .core).load().records.count
        case .workspaceEnvBlock:
            let workspace = try Workspace.load(url, processEnvironment: [:])
            let snapshot = try await EnvironmentTier(environment: workspace.deployments[0].environment, dialect: .core).load()
            return snapshot.records.count
        case .workspaceDeployments:
            return try Workspace.load(url, processEnvironment: [:]).deployments.count
        }
    }

    /// Writes `header`, then `line(i)` for i = 0, 1, … until the file reaches `targetBytes`, then
    /// `footer`, in 1 MB chunks.
    @discardableResult
    private func write(_ url: URL, targetBytes: Int, header: String = "", footer: String = "",
                       line: (Int) -> String) throws -> URL {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: url.path) else { throw BenchError("cannot write \(url.path)") }
        defer { try? handle.close() }
        var chunk = header
        var written = 0
        var i = 0
        while written + chunk.utf8.count < targetBytes {
            chunk += line(i)
            i += 1
            if chunk.utf8.count >= 1 << 20 {
                written += chunk.utf8.count
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        chunk += footer
        try handle.write(contentsOf: Data(chunk.utf8))
        return url
    }
}

/// This process's resident memory, from /proc/self/status (Linux).
enum ProcessMemory {
    static func residentBytes() -> Int { field("VmRSS:") }
    /// The high-water mark of the resident set since the process started.
    static func peakResidentBytes() -> Int { field("VmHWM:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first
            return (digits.flatMap { Int($0) } ?? 0) * 1024
        }
        return 0
    }
}
