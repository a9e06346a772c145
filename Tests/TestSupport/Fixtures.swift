import Foundation

/// Locates the shared, read-only fixtures recorded from real Airflow (`../shared/fixtures`).
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `shared/fixtures`: `STRATA_FIXTURES` when set, else `../shared/fixtures` beside the repository.
    public static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["STRATA_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }()

    /// A file under the fixtures folder.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The secret files recorded under `local-filesystem/` (their `.expected.json` results left
    /// out), sorted by name.
    public static let localFilesystemFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url("local-filesystem").path)) ?? []
        return names.filter { !$0.hasSuffix(".expected.json") }.sorted()
    }()

    /// The non-empty lines of a JSON Lines fixture.
    public static func jsonLines(_ relativePath: String) throws -> [String] {
        let text = try String(contentsOf: url(relativePath), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
