import Engine
import Foundation

/// Which of a source's values a copy takes: named ids, glob patterns, one kind, and at most
/// one condition (`--only`).
public struct CopySelection: Sendable, Equatable {
    /// The condition a key must meet to be copied.
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        /// The source tier's value is not the one Airflow reads: a tier before it wins.
        case shadowed
        /// The target holds a different value for the key.
        case differing
        /// `strata lint` reports something about the key in the source deployment.
        case problems
    }

    /// Exact ids; empty means every id.
    public var ids: [String]
    /// Shell-style patterns (`*`, `?`, `[…]`) an id must match one of; empty means every id.
    public var patterns: [String]
    /// The kinds copied.
    public var kinds: Set<SecretKind>
    public var condition: Condition?

    public init(ids: [String] = [], patterns: [String] = [], kinds: Set<SecretKind> = Set(SecretKind.allCases),
                condition: Condition? = nil) {
        self.ids = ids
        self.patterns = patterns
        self.kinds = kinds
        self.condition = condition
    }

    /// The items of `items` this selection takes. `source` is the source deployment and the
    /// tier the items came from (nil for a file or the resolved values), for `shadowed` and
    /// `problems`; `differing` is applied to the plan (`filter(_:)`), since it needs the target.
    public func select(_ items: CopyItems, source: (state: DeploymentState, tier: TierID?)?) -> CopyItems {
        let wanted = Set(ids)
        var flagged: Set<SecretKey>?
        if condition == .problems, let source {
            flagged = Set(Linter().lint(source.state).compactMap(\.key))
        }
        var winners: [SecretKey: Resolution] = [:]
        if condition == .shadowed, let source {
            winners = source.state.resolve(items.items.map(\.key) + items.problems.map(\.key))
        }
        func keep(_ key: SecretKey) -> Bool {
            guard kinds.contains(key.kind) else { return false }
            if !wanted.isEmpty, !wanted.contains(key.id) { return false }
            if !patterns.isEmpty, !patterns.contains(where: { Self.matches(key.id, pattern: $0) }) { return false }
            switch condition {
            case .shadowed?:
                guard let source, let tier = source.tier else { return false }
                let winner = (winners[key] ?? source.state.resolve(key)).winner
                return winner != nil && winner != tier
            case .problems?:
                return flagged?.contains(key) ?? false
            case .differing?, nil:
                return true
            }
        }
        return CopyItems(items: items.items.filter { keep($0.key) }, problems: items.problems.filter { keep($0.key) })
    }

    /// The ids asked for by name that the source does not hold (of the selected kinds).
    public func missingIDs(in items: CopyItems) -> [String] {
        let held = Set(items.items.map(\.key.id) + items.problems.map(\.key.id))
        var seen = Set<String>()
        return ids.filter { !held.contains($0) && seen.insert($0).inserted }
    }

    /// `plan` keeping only the keys the condition still asks for once the target is known.
    public func filter(_ plan: CopyPlan) -> CopyPlan {
        guard condition == .differing else { return plan }
        var plan = plan
        plan.steps = plan.steps.filter { step in
            switch step.action {
            case .update, .conflict: return true
            default: return false
            }
        }
        return plan
    }

    /// Whether `id` matches a shell-style `pattern`, as `fnmatch` does (no special meaning for `/`).
    public static func matches(_ id: String, pattern: String) -> Bool {
        fnmatch(pattern, id, 0) == 0
    }
}
