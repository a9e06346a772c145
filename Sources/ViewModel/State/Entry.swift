import Engine

/// One row of the Variables & connections list: a resolution plus what filtering and drawing
/// need, computed once when the resolution arrives.
public struct Entry: Sendable, Equatable {
    public let resolution: Resolution
    /// The id with unsafe characters escaped.
    public let displayID: String
    /// Lower-cased UTF-8 of the id, for substring filtering.
    let searchBytes: [UInt8]
    public let shadowedCount: Int
    public let differs: Bool
    public let collides: Bool
    public let unreadable: Bool

    public init(_ resolution: Resolution) {
        self.resolution = resolution
        self.displayID = InertText.make(resolution.key.id)
        self.searchBytes = Array(resolution.key.id.lowercased().utf8)
        self.shadowedCount = resolution.shadowed.count
        self.differs = resolution.hasDifferences
        self.collides = !resolution.collisions.isEmpty
        self.unreadable = resolution.hasUnreadable
    }

    public var key: SecretKey { resolution.key }
}
