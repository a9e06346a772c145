import Engine
import Foundation

/// The TUI's log: where stderr goes while the screen is in use. Holds no secret values: callers
/// log ids, tier names, counts and reasons (which the Engine keeps free of secrets). Every line
/// is made inert here, so an id holding ESC, CR or a bidi override cannot forge or hide lines
/// for whoever reads the log in a terminal.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class LogFile: @unchecked Sendable {
    /// Where the log is written.
    public let url: URL
    private let lock = NSLock()
    private let handle: FileHandle?

    /// Opens (creating, mode 0600) the log at `url`, appending.
    public init(url: URL) {
        self.url = url
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
    }

    /// The default log: a per-user file under the temp directory.
    public static var defaultURL: URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("strata-\(getuid())").appendingPathComponent("tui.log")
    }

    public var fileDescriptor: Int32? { handle?.fileDescriptor }

    public func write(_ message: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        lock.lock()
        defer { lock.unlock() }
        handle?.write(Data("\(stamp) \(InertText.make(message))\n".utf8))
    }
}
