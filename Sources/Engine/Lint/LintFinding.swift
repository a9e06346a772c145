/// How serious a lint finding is; `strata lint --fail-on LEVEL` fails at or above it.
public enum LintLevel: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: LintLevel, rhs: LintLevel) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in a deployment, with what to do about it. Never contains a value.
public struct LintFinding: Sendable, Hashable {
    public var level: LintLevel
    /// A stable identifier of the rule, e.g. `shadowed-differs`.
    public var rule: String
    public var deployment: String
    public var key: SecretKey?
    public var tier: TierID?
    public var message: String
    public var fix: String

    public init(level: LintLevel, rule: String, deployment: String, key: SecretKey?, tier: TierID?,
                message: String, fix: String) {
        self.level = level
        self.rule = rule
        self.deployment = deployment
        self.key = key
        self.tier = tier
        self.message = message
        self.fix = fix
    }
}
