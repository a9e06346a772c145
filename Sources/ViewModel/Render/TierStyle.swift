import Engine

extension TierID {
    /// The role that colours this tier's name everywhere.
    var role: StyleRole {
        switch self {
        case .workersBackend: return .tierWorkers
        case .backend: return .tierBackend
        case .env: return .tierEnv
        case .metastore: return .tierMetastore
        }
    }

    /// The short name lists and filters use.
    var shortName: String {
        switch self {
        case .workersBackend: return "workers"
        case .backend: return "backend"
        case .env: return "env"
        case .metastore: return "metastore"
        }
    }
}

extension ResolvedState {
    /// One word or phrase for the detail pane's tier list, and its role.
    func summary(comparison: TierResolution.Comparison, kind: SecretKind) -> (text: String, role: StyleRole) {
        switch self {
        case .present:
            switch comparison {
            case .winner: return ("supplies the value", .ok)
            case .same: return ("same value (shadowed)", .markerShadowed)
            case .differs: return ("differs (shadowed)", .markerDiffers)
            case .cannotTell: return ("cannot tell (a source hides a field; shadowed)", .markerShadowed)
            case .none: return ("present", .text)
            }
        case .empty:
            if comparison == .winner { return ("empty string (supplies it)", .ok) }
            if kind == .connection { return ("empty (Airflow skips it)", .muted) }
            return comparison == .differs ? ("empty, differs (shadowed)", .markerDiffers) : ("empty", .muted)
        case .absent: return ("absent", .muted)
        case .unreadable(let reason): return ("unreadable: " + InertText.make(reason), .markerUnreadable)
        case .skipped(let reason): return ("not asked: " + InertText.make(reason), .muted)
        case .loading: return ("loading…", .loading)
        case .unavailable(let reason): return ("unavailable: " + InertText.make(reason), .error)
        case .notConfigured(let reason): return ("not configured" + (reason == "not configured" ? "" : ": " + InertText.make(reason)), .muted)
        }
    }
}
