import Foundation

/// Runs a helper program (a Python script of real Airflow's) to its end without holding a
/// thread of Swift's cooperative pool: a blocked pool thread delays the timers of every other
/// test running at the same time, and the fault suites measure deadlines with them.
public enum ChildProcess {
    /// Runs `executable` with `arguments` and `environment`, output discarded; its exit status.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = executable
                    process.arguments = arguments
                    process.environment = environment
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    process.waitUntilExit()
                    return process.terminationStatus
                })
            }
        }
    }
}
