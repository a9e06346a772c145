import Engine

/// One value to be copied into a tier: the key, the value to store there, and what its source
/// could not show. Copy, migrate and import all plan and apply lists of these.
public struct CopyItem: Sendable, Equatable {
    public var key: SecretKey
    public var value: EditValue
    /// Fields the source hid (the REST API's `***`): copying them would store the mask, so
    /// an item with hidden fields is refused, never written.
    public var hidden: HiddenFields
    /// Where the value came from, safe to show ("metastore", "conns.json"…). Never a value.
    public var origin: String

    public init(key: SecretKey, value: EditValue, hidden: HiddenFields = .none, origin: String) {
        self.key = key
        self.value = value
        self.hidden = hidden
        self.origin = origin
    }
}

/// A key the source holds but whose value cannot be copied (it does not parse, cannot be
/// decrypted…). The reason is safe to show: it never holds the value.
public struct CopyProblem: Sendable, Equatable {
    public var key: SecretKey
    public var reason: String

    public init(key: SecretKey, reason: String) {
        self.key = key
        self.reason = reason
    }
}

/// The values a source offers for copying, and the keys it holds but cannot give.
public struct CopyItems: Sendable, Equatable {
    public var items: [CopyItem]
    public var problems: [CopyProblem]

    public init(items: [CopyItem] = [], problems: [CopyProblem] = []) {
        self.items = items
        self.problems = problems
    }
}
