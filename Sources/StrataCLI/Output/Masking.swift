import Engine

/// Whether secret values are shown. Masked output uses Airflow's own `***` marker, and every
/// masked entry says so with `"masked": true`, so that scripts can tell a mask from a value.
public enum Masking: Sendable {
    case masked
    case revealed

    public static let marker = "***"

    /// A variable's value as it may be shown.
    func variable(_ value: String) -> String {
        self == .revealed || value.isEmpty ? value : Self.marker
    }

    /// A connection as it may be shown: password and extra are masked (extra often carries
    /// tokens and keys); the other fields are addresses and names.
    func connection(_ connection: Connection) -> Connection {
        guard self == .masked else { return connection }
        var masked = connection
        if let password = masked.password, !password.isEmpty { masked.password = Self.marker }
        if let extra = masked.extra, !extra.isEmpty { masked.extra = Self.marker }
        if masked.verbatim["password"] != nil { masked.verbatim["password"] = .string(Self.marker) }
        if masked.verbatim["extra"] != nil { masked.verbatim["extra"] = .string(Self.marker) }
        return masked
    }

    /// Why `tier` gives no value, as it may be shown: the redacted reason, or with `--reveal`
    /// the exact one (Airflow's error text as it quoted the stored value, a failed tier's full
    /// message from `exactFailures`).
    func reason(of tier: TierResolution, exactFailures: [TierID: String] = [:]) -> String? {
        guard let reason = tier.state.reason else { return nil }
        guard self == .revealed else { return reason }
        switch tier.state {
        case .unreadable: return tier.record?.exactReason ?? reason
        case .unavailable: return exactFailures[tier.tier] ?? reason
        default: return reason
        }
    }

    /// A failed tier's reason as it may be shown.
    func failureReason(_ reason: String, of tier: TierID, in state: DeploymentState) -> String {
        self == .revealed ? state.exactFailureReasons[tier] ?? reason : reason
    }
}
