import Engine

extension TierMatrix.CellState {
    /// The short word shown after the symbol.
    var word: String {
        switch self {
        case .winner: return "winner"
        case .same: return "same"
        case .differs: return "differs"
        case .cannotTell: return "hidden"
        case .empty: return "empty"
        case .absent: return "absent"
        case .unreadable: return "unreadable"
        case .skipped: return "skipped"
        case .unavailable: return "unavailable"
        case .notConfigured: return "n/a"
        case .loading: return "loading"
        }
    }

    /// The role that colours the cell; the symbol carries the meaning without colour.
    var role: StyleRole {
        switch self {
        case .winner: return .ok
        case .same, .cannotTell: return .markerShadowed
        case .differs: return .markerDiffers
        case .empty, .absent, .skipped, .notConfigured: return .muted
        case .unreadable: return .markerUnreadable
        case .unavailable: return .error
        case .loading: return .loading
        }
    }
}

extension DeploymentComparison.CellState {
    var symbol: String {
        switch self {
        case .same: return "="
        case .differs: return "≠"
        case .cannotTell: return "≟"
        case .missing: return "∅"
        }
    }

    var role: StyleRole {
        switch self {
        case .same, .cannotTell: return .markerShadowed
        case .differs: return .markerDiffers
        case .missing: return .error
        }
    }
}

/// Where the comparison overlay puts things, shared by the reducer (scrolling) and the view.
enum CompareLayout {
    /// The overlay: everything above the status line.
    static func rect(_ size: Size) -> Rect { Rect(x: 0, y: 0, width: size.columns, height: max(3, size.rows - 1)) }
    /// Rows of the table between its header and the legend.
    static func bodyRows(_ size: Size) -> Int { max(1, size.rows - 6) }
    /// Rows of the field list below its two header lines.
    static func fieldRows(_ size: Size) -> Int { max(1, size.rows - 5) }
}
