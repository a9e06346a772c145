/// What a cell means, not how it looks: themes map each role to colours and attributes.
/// The raw values are the names used in theme files.
public enum StyleRole: String, Sendable, Hashable, CaseIterable {
    case text
    case muted
    case border
    case borderFocused = "border-focused"
    case title
    case titleFocused = "title-focused"
    case selection
    case selectionInactive = "selection-inactive"
    case kindConnection = "kind-connection"
    case kindVariable = "kind-variable"
    case tierWorkers = "tier-workers"
    case tierBackend = "tier-backend"
    case tierEnv = "tier-env"
    case tierMetastore = "tier-metastore"
    case markerShadowed = "marker-shadowed"
    case markerDiffers = "marker-differs"
    case markerCollision = "marker-collision"
    case markerUnreadable = "marker-unreadable"
    case label
    case value
    case masked
    case revealed
    case escaped
    case ok
    case warning
    case error
    case loading
    case statusBar = "status-bar"
    case statusKey = "status-key"
    case prompt
    case helpKey = "help-key"
    case helpSection = "help-section"
    case message
}
