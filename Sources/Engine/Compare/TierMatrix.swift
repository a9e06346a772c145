/// The tier comparison of one deployment: a row per key, a column per tier of its chain.
public struct TierMatrix: Sendable, Equatable {
    public var tiers: [TierID]
    public var rows: [Row]

    public struct Row: Sendable, Identifiable, Equatable {
        public var key: SecretKey
        public var winner: TierID?
        public var cells: [Cell]
        public var collisions: [String]
        public var id: SecretKey { key }

        /// Whether a lower tier also holds a value.
        public var isShadowed: Bool { cells.contains { $0.state == .same || $0.state == .differs || $0.state == .cannotTell } }
        /// Whether a lower tier holds a different value.
        public var hasDifferences: Bool { cells.contains { $0.state == .differs } }
        /// Whether something is wrong: nothing usable, an unreadable or unreachable tier, a collision.
        public var hasProblems: Bool {
            winner == nil || !collisions.isEmpty
                || cells.contains { $0.state == .unreadable || $0.state == .unavailable }
        }
    }

    public struct Cell: Sendable, Equatable {
        public var tier: TierID
        public var state: CellState
        /// A keyed hash of the value, so equal values can be recognised without being shown.
        public var fingerprint: String?
        /// The fields that differ from the winner's value (for `differs` cells).
        public var differingFields: [ValueField]
        /// The name looked up, or why the tier never looks this key up.
        public var name: String?
        public var reason: String?
        public var value: TierValue?
    }

    /// A cell's state, with the symbol used where colour is unavailable.
    public enum CellState: String, Sendable, CaseIterable {
        case winner, same, differs, cannotTell = "cannot_tell", empty, absent, unreadable, skipped, unavailable, notConfigured = "not_configured", loading

        public var symbol: String {
            switch self {
            case .winner: return "●"
            case .same: return "="
            case .differs: return "≠"
            case .cannotTell: return "≟"
            case .empty: return "∅"
            case .absent: return "·"
            case .unreadable: return "!"
            case .skipped: return "⤼"
            case .unavailable: return "?"
            case .notConfigured: return "–"
            case .loading: return "…"
            }
        }
    }

    /// Builds the matrix from resolutions of one deployment.
    public init(tiers: [TierID], resolutions: [Resolution]) {
        self.tiers = tiers
        self.rows = resolutions.map { resolution in
            let winningValue = resolution.winning.flatMap { Self.value(of: $0.state, kind: resolution.key.kind) }
            let cells = tiers.map { tier -> Cell in
                guard let entry = resolution.tiers.first(where: { $0.tier == tier }) else {
                    return Cell(tier: tier, state: .notConfigured, fingerprint: nil, differingFields: [], name: nil,
                                reason: "not in this deployment's chain", value: nil)
                }
                let value = Self.value(of: entry.state, kind: resolution.key.kind)
                var differing: [ValueField] = []
                if entry.comparison == .differs, let value, let winningValue {
                    differing = value.differingFields(from: winningValue)
                }
                return Cell(tier: tier, state: Self.state(of: entry), fingerprint: value.map(SecretFingerprint.of),
                            differingFields: differing, name: entry.lookup?.name, reason: entry.state.reason,
                            value: value)
            }
            return Row(key: resolution.key, winner: resolution.winner, cells: cells, collisions: resolution.collisions)
        }
    }

    /// A matrix of the same tiers keeping only the rows `filter` accepts.
    public func filtered(_ filter: Filter) -> TierMatrix {
        var copy = self
        switch filter {
        case .all: break
        case .shadowed: copy.rows = rows.filter(\.isShadowed)
        case .differing: copy.rows = rows.filter(\.hasDifferences)
        case .problems: copy.rows = rows.filter(\.hasProblems)
        }
        return copy
    }

    public enum Filter: String, Sendable, CaseIterable {
        case all, shadowed, differing, problems
    }

    static func state(of entry: TierResolution) -> CellState {
        switch entry.comparison {
        case .winner: return .winner
        case .same: return .same
        case .differs: return .differs
        case .cannotTell: return .cannotTell
        case .none:
            switch entry.state {
            case .present: return .absent // present but not compared cannot happen; treat as absent
            case .empty: return .empty
            case .absent: return .absent
            case .unreadable: return .unreadable
            case .skipped: return .skipped
            case .unavailable: return .unavailable
            case .notConfigured: return .notConfigured
            case .loading: return .loading
            }
        }
    }

    static func value(of state: ResolvedState, kind: SecretKind) -> TierValue? {
        switch state {
        case .present(let value): return value
        case .empty: return kind == .variable ? .variable("") : nil
        default: return nil
        }
    }
}
