import Foundation

/// A fresh folder under the system temp directory, removed by `remove()`.
public struct TemporaryDirectory {
    public let url: URL

    public init(_ label: String = "strata-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relativePath` inside the folder, creating folders as needed.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Copies `file` (a fixture, read-only where it is kept) into the folder as `name`, writable
    /// by its owner, as a test that changes it needs.
    @discardableResult
    public func copyWritable(_ file: URL, as name: String? = nil) throws -> URL {
        let copy = url.appendingPathComponent(name ?? file.lastPathComponent)
        try FileManager.default.copyItem(at: file, to: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
        return copy
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
