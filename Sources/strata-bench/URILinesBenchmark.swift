import Foundation

/// `strata uri parse --jsonl` end to end, as a user pipes a file through it: goal at least
/// 700,000 lines per second (parse, `get_uri()`, one JSON line out) using every core, output
/// order kept. Runs the `strata` binary built beside this one over 1,000,000 lines of the codec
/// benchmark's URI mix.
func runURILinesBenchmark() throws {
    let strata = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("strata")
    guard FileManager.default.isExecutableFile(atPath: strata.path) else {
        throw BenchError("build strata first: swift build -c release --product strata")
    }
    let lineCount = 1_000_000
    let mix = codecBenchmarkURIs + [#"{"conn_type": "http", "host": "h", "extra": {"timeout": 5, "verify": "yes"}}"#]
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bench-uri-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("lines.txt")
    var text = ""
    text.reserveCapacity(lineCount * 110)
    for index in 0..<lineCount {
        text += mix[index % mix.count]
        text += "\n"
    }
    try Data(text.utf8).write(to: input)

    // One checked run: every line answered, in order (line i is the result of input line i).
    let checked = folder.appendingPathComponent("out.jsonl")
    _ = try runStrata(strata, input: input, output: checked)
    let outputLines = try String(contentsOf: checked, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    guard outputLines.count == lineCount + 1, outputLines[mix.count].hasPrefix(#"{"conn_type": "postgres""#) else {
        throw BenchError("strata uri parse wrote \(outputLines.count - 1) lines for \(lineCount), or out of order")
    }
    try? FileManager.default.removeItem(at: checked)

    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<5 {
        let (wall, cpu) = try runStrata(strata, input: input, output: URL(fileURLWithPath: "/dev/null"))
        walls.append(wall)
        cpus.append(cpu)
    }
    let best = walls.min() ?? 0
    let median = walls.sorted()[walls.count / 2]
    print(String(format: "  %d lines (%.0f MB) on %d cores: best %.2f s = %.0f lines/s, median %.2f s = %.0f lines/s",
                 lineCount, Double(text.utf8.count) / 1e6, ProcessInfo.processInfo.activeProcessorCount,
                 best, Double(lineCount) / best, median, Double(lineCount) / median))
    print(String(format: "  CPU per line: %.2f µs (user + system, median)", cpus.sorted()[cpus.count / 2] / Double(lineCount) * 1e6))
    print("  goal: >= 700000 lines/s end to end")
}

/// Runs `strata uri parse --jsonl` over `input` into `output`; wall seconds and the child's CPU.
private func runStrata(_ strata: URL, input: URL, output: URL) throws -> (wall: Double, cpu: Double) {
    let process = Process()
    process.executableURL = strata
    process.arguments = ["uri", "parse", "--jsonl"]
    process.standardInput = try FileHandle(forReadingFrom: input)
    // Opened, not created through FileManager: its atomic create would rename a regular file
    // over /dev/null.
    let descriptor = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { throw BenchError("cannot open \(output.path) for writing") }
    process.standardOutput = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    process.standardError = FileHandle.nullDevice
    let before = childCPUSeconds()
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    let elapsed = ContinuousClock.now - start
    guard process.terminationStatus == 0 else {
        throw BenchError("strata uri parse exited \(process.terminationStatus)")
    }
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (wall, childCPUSeconds() - before)
}

private func childCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
