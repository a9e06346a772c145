import Foundation

/// Every write and remote call Strata makes in a session: when, where, what, and how it went.
/// Entries hold names (a secret's name, an API action), never values.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class OperationLog: @unchecked Sendable {
    /// One write or remote call.
    public struct Entry: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case write
            case delete
            case call
        }

        public var time: Date
        public var kind: Kind
        /// The tier or service: "environment", "HashiCorp Vault", "secretsmanager.us-east-1.amazonaws.com"…
        public var target: String
        /// The key, file or request: "conn:my_db", "GET /v1/secret/data/…", "secretsmanager.GetSecretValue".
        public var name: String
        /// "ok", "ok (version 4)", "HTTP 403", "conflict"…
        public var result: String
        public var succeeded: Bool
        /// How long it took, when measured.
        public var duration: Duration?

        public init(time: Date = Date(), kind: Kind, target: String, name: String, result: String,
                    succeeded: Bool, duration: Duration? = nil) {
            self.time = time
            self.kind = kind
            self.target = target
            self.name = name
            self.result = result
            self.succeeded = succeeded
            self.duration = duration
        }
    }

    /// The log of this process: the session the operations log shows.
    public static let session = OperationLog()

    private let lock = NSLock()
    private var stored: [Entry] = []
    private var dropped = 0
    /// Oldest entries are dropped beyond this, so a long session's log stays small.
    public let capacity: Int

    public init(capacity: Int = 5_000) {
        self.capacity = capacity
    }

    /// Adds an entry. Its texts (names, results, servers' messages) are made inert here, so
    /// whatever shows the log shows nothing that can drive a terminal.
    public func record(_ entry: Entry) {
        var entry = entry
        entry.target = InertText.make(entry.target)
        entry.name = InertText.make(entry.name)
        entry.result = InertText.make(entry.result)
        lock.lock()
        defer { lock.unlock() }
        stored.append(entry)
        if stored.count > capacity {
            let excess = stored.count - capacity
            stored.removeFirst(excess)
            dropped += excess
        }
    }

    /// The entries, oldest first.
    public var entries: [Entry] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    /// How many entries were recorded in all, dropped ones included (changes when a new one arrives).
    public var totalCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored.count + dropped
    }
}
