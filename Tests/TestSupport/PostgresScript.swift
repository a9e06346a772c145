import Foundation

/// Runs SQL against a test PostgreSQL server through `psql` (shipped with the server), stopping
/// at the first error. Used to seed and to change rows behind Strata's back.
public enum PostgresScript {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func run(_ url: String, _ sql: String) throws {
        let directory = try TemporaryDirectory("strata-psql")
        defer { directory.remove() }
        let script = try directory.write("script.sql", sql)
        let candidates = ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql", "/usr/local/bin/psql"]
        guard let psql = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "psql is not installed; run scripts/test, which installs PostgreSQL")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = [url, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-f", script.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "psql failed running SQL against the test server")
        }
    }
}
