import Engine

/// A parsed filter: substrings of the id plus tokens (`@env`, `@shadowed`, `var:`, `conn:`…).
public struct FilterQuery: Sendable, Equatable {
    /// Lower-cased words that must all occur in the id.
    public var words: [[UInt8]] = []
    public var kind: SecretKind?
    /// Keep entries whose value comes from one of these tiers.
    public var winners: Set<TierID> = []
    public var shadowed = false
    public var differs = false
    public var collides = false
    public var unreadable = false
    /// Tokens that mean nothing, to tell the user.
    public var unknownTokens: [String] = []

    /// The tokens a filter understands, for help and hints.
    public static let tokens = ["@backend", "@env", "@metastore", "@workers", "@shadowed", "@differs",
                                "@collision", "@unreadable", "var:", "conn:"]

    public init(_ text: String) {
        for raw in text.lowercased().split(separator: " ") {
            var word = Substring(raw)
            if word.hasPrefix("var:") { kind = .variable; word = word.dropFirst(4) }
            else if word.hasPrefix("conn:") { kind = .connection; word = word.dropFirst(5) }
            if word.hasPrefix("@") {
                switch word {
                case "@backend": winners.insert(.backend)
                case "@workers": winners.insert(.workersBackend)
                case "@env": winners.insert(.env)
                case "@metastore", "@db": winners.insert(.metastore)
                case "@shadowed", "@shadows": shadowed = true
                case "@differs", "@diff": differs = true
                case "@collision", "@collisions": collides = true
                case "@unreadable": unreadable = true
                default: unknownTokens.append(String(word))
                }
                continue
            }
            if !word.isEmpty { words.append(Array(word.utf8)) }
        }
    }

    public var isEmpty: Bool {
        words.isEmpty && kind == nil && winners.isEmpty && !shadowed && !differs && !collides && !unreadable
    }

    /// Whether `entry` passes the filter.
    public func matches(_ entry: Entry) -> Bool {
        if let kind, entry.resolution.key.kind != kind { return false }
        if !winners.isEmpty {
            guard let winner = entry.resolution.winner, winners.contains(winner) else { return false }
        }
        if shadowed && entry.shadowedCount == 0 { return false }
        if differs && !entry.differs { return false }
        if collides && !entry.collides { return false }
        if unreadable && !entry.unreadable { return false }
        for word in words where !Self.contains(entry.searchBytes, word) { return false }
        return true
    }

    /// Byte substring search of a word in an entry's search text.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { containsBytes($0, in: hay, within: 0..<hay.count) }
        }
    }
}
