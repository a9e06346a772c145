/// The two kinds of value Airflow resolves through its secrets tiers.
public enum SecretKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case variable
    case connection

    public static func < (lhs: SecretKind, rhs: SecretKind) -> Bool {
        // Connections first: they are what users inspect most, and what the design sketch lists first.
        lhs == .connection && rhs == .variable
    }
}

/// A variable key or a connection id, as a DAG would ask for it.
public struct SecretKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: SecretKind
    public var id: String

    public init(_ kind: SecretKind, _ id: String) {
        self.kind = kind
        self.id = id
    }

    public static func variable(_ id: String) -> SecretKey { SecretKey(.variable, id) }
    public static func connection(_ id: String) -> SecretKey { SecretKey(.connection, id) }

    /// Python's equality: the same kind and the same code points. Swift's `String ==` would
    /// also equate canonically equivalent spellings (`é` and `e` + U+0301), which Airflow
    /// looks up as two different ids.
    public static func == (lhs: SecretKey, rhs: SecretKey) -> Bool {
        lhs.kind == rhs.kind && NameIndex.sameCodePoints(lhs.id, rhs.id)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(id.utf8.count)
        let hashed: Void? = id.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil { for byte in id.utf8 { hasher.combine(byte) } }
    }

    public static func < (lhs: SecretKey, rhs: SecretKey) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        return lhs.id < rhs.id
    }

    public var description: String { "\(kind == .variable ? "var" : "conn"):\(id)" }
}
