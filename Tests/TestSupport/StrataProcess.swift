import Foundation

/// Runs the built `strata` binary, as a user or a script would.
public struct StrataProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        /// stdout parsed as JSON.
        public func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }
    }

    /// The debug binary next to the test bundle (`swift build --build-tests` builds it).
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["STRATA_BINARY"] { return URL(fileURLWithPath: path) }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/strata")
    }

    /// `run`, waited for on a thread of its own, for async tests: blocking one of the few
    /// cooperative threads would starve the suites running beside it (and their deadlines).
    public static func runAwaiting(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil,
                                   environment extra: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try run(arguments, in: directory, stdin: stdin, environment: extra) })
            }
        }
    }

    /// Runs `strata arguments…` in `directory` and waits for it.
    public static func run(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil,
                           environment extra: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "interactive=no"
        environment["LANG"] = "C.UTF-8"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot fill a pipe and stall.
        let outBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = outBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Collects one pipe's bytes on another thread; the group's wait orders the access.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
