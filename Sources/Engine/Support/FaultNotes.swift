import Foundation

/// The problems one tier load met, most recent last (a few, for messages).
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class FaultNotes: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []

    public init() {}

    /// Records `problem` (text without secrets) as the latest.
    public func note(_ problem: String) {
        lock.withLock {
            notes.removeAll { $0 == problem }
            notes.append(problem)
            if notes.count > 3 { notes.removeFirst() }
        }
    }

    /// The latest problem, or `nil`.
    public var last: String? { lock.withLock { notes.last } }
}
