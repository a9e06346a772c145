import Engine

/// What a copy will do with one key, checked against the target as loaded.
public struct CopyStep: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// The target does not hold the key; it will.
        case create
        /// The target holds a different value; it will be replaced (`--on-conflict overwrite`).
        case update
        /// The target already holds this value; nothing is written.
        case unchanged
        /// The target holds a different value and the policy says to stop (`fail`) or leave it (`skip`).
        case conflict(skipped: Bool)
        /// Not copied, and why (the target cannot name the id, the source hides a field…).
        case refused(EditError)
    }

    public var key: SecretKey
    public var action: Action
    /// Where the value comes from ("metastore", "conns.json"…).
    public var origin: String
    /// The checked write; nil when the key was refused before a write could be planned.
    public var write: PlannedChange?
    /// The delete from the source that follows a verified write (`--move`).
    public var sourceDelete: PlannedChange?
    /// Connection fields the target cannot keep exactly in the form chosen (a description, an
    /// empty text Airflow reads back as None); each is also said in `notes`.
    public var unkeptFields: [String] = []
    /// The tier Airflow reads the key from once the copy (and any move) is done, as planned.
    public var expectedWinner: TierID?
    /// Things to know: which tier Airflow reads the key from afterwards, dropped descriptions,
    /// a source row left dead…
    public var notes: [String]

    /// Whether applying writes to the target.
    public var writes: Bool {
        switch action {
        case .create, .update: return true
        default: return false
        }
    }

    /// Whether the key ends up in the target (written now, or already there).
    public var landsInTarget: Bool { writes || action == .unchanged }

    /// A one-word name for the action, for plans and JSON.
    public var actionName: String {
        switch action {
        case .create: return "create"
        case .update: return "update"
        case .unchanged: return "unchanged"
        case .conflict(let skipped): return skipped ? "skipped" : "conflict"
        case .refused: return "refused"
        }
    }

    /// Why the key is not copied, for `refused` and `conflict`.
    public var reason: String? {
        switch action {
        case .refused(let error): return error.message
        case .conflict(let skipped):
            let label = write?.targetLabel ?? "the target"
            return skipped ? "\(label) holds a different value; left as it is (--on-conflict skip)"
                : "\(label) holds a different value; nothing is written while any key differs. "
                + "Use --on-conflict overwrite to replace, or skip to leave those keys."
        default: return nil
        }
    }
}
