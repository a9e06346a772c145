import PythonCompat

/// Fields a source showed only as Airflow's mask (`***`): the REST API redacts passwords, extra
/// keys with sensitive names and variables whose key looks sensitive. Such a field is not a
/// value: it is shown as hidden, never compared, never copied and never written back.
///
/// A path is the field (`password`, `value`, `extra`) followed, inside `extra`, by the keys and
/// list positions that lead to the masked leaf: `["extra", "nested", "api_key"]`.
public struct HiddenFields: Sendable, Hashable {
    public private(set) var paths: [[String]]

    public init(_ paths: [[String]] = []) {
        self.paths = paths
    }

    public static let none = HiddenFields()

    public var isEmpty: Bool { paths.isEmpty }

    /// Whether the whole field `name` (`password`, `value`) is hidden.
    public func hides(_ name: String) -> Bool { paths.contains([name]) }

    /// The paths inside `extra`, without the leading `extra`.
    public var extraPaths: [[String]] { paths.filter { $0.first == "extra" && $0.count > 1 }.map { Array($0.dropFirst()) } }

    /// Whether a field a comparison names is (or holds) a hidden one: such a field cannot be
    /// said to differ.
    public func covers(_ field: ValueField) -> Bool {
        switch field {
        case .value: return hides("value")
        case .password: return hides("password")
        case .extra: return hides("extra")
        case .extraKey(let key): return hides("extra") || extraPaths.contains { $0.first == key }
        default: return false
        }
    }

    /// The union of two sets of hidden fields, in first-seen order.
    public func union(_ other: HiddenFields) -> HiddenFields {
        var merged = paths
        for path in other.paths where !merged.contains(path) { merged.append(path) }
        return HiddenFields(merged)
    }

    /// `password`, `extra.nested.api_key`, `extra.list.0`: the names shown to users and in `--json`.
    public var names: [String] { paths.map { $0.joined(separator: ".") } }

    /// The metadata key under which a record carries its hidden fields.
    public static let metadataKey = "hidden_by_source"

    /// The paths as JSON text, for a record's metadata (extra keys may hold any character).
    public var metadataText: String {
        JSONValue.array(paths.map { .array($0.map { .string($0) }) }).pythonDumps()
    }

    /// The paths read back from `metadataText`; anything else reads as none.
    public init(metadataText: String?) {
        guard let metadataText, case .array(let items)? = try? JSONValue.parsePython(metadataText) else {
            self.init()
            return
        }
        self.init(items.compactMap { item -> [String]? in
            guard case .array(let parts) = item else { return nil }
            let names = parts.compactMap(\.stringValue)
            return names.count == parts.count && !names.isEmpty ? names : nil
        })
    }
}

/// How a source altered what it showed of a value: fields it hid, and a variable whose JSON it
/// re-serialised (Airflow's REST API answers `json.dumps(json.loads(value))`, so `{"b":2,  "a":[1]}`
/// comes back as `{"b": 2, "a": [1]}` and the stored text is known only up to formatting).
public struct SourceAlteration: Sendable, Hashable {
    public var hidden: HiddenFields
    public var reserializedJSON: Bool

    public init(hidden: HiddenFields = .none, reserializedJSON: Bool = false) {
        self.hidden = hidden
        self.reserializedJSON = reserializedJSON
    }

    public static let none = SourceAlteration()
    public var isNone: Bool { hidden.isEmpty && !reserializedJSON }

    /// The metadata key marking a variable whose JSON the source re-serialised.
    public static let reserializedKey = "reserialized_by_source"

    /// Both records' alterations: whatever either source hid or re-serialised.
    public func union(_ other: SourceAlteration) -> SourceAlteration {
        SourceAlteration(hidden: hidden.union(other.hidden), reserializedJSON: reserializedJSON || other.reserializedJSON)
    }

    /// The metadata pairs that carry this alteration on a record.
    public var metadataPairs: [(String, String)] {
        var pairs: [(String, String)] = []
        if !hidden.isEmpty { pairs.append((HiddenFields.metadataKey, hidden.metadataText)) }
        if reserializedJSON { pairs.append((Self.reserializedKey, "json")) }
        return pairs
    }
}

extension TierRecord {
    /// The fields the source showed only as a mask (empty for every tier but the REST API's).
    public var hiddenFields: HiddenFields {
        HiddenFields(metadataText: metadataValue(forKey: HiddenFields.metadataKey))
    }

    /// What the source hid or re-serialised of this record's value.
    public var sourceAlteration: SourceAlteration {
        guard metadataValue(forKey: HiddenFields.metadataKey) != nil || metadataValue(forKey: SourceAlteration.reserializedKey) != nil
        else { return .none }
        return SourceAlteration(hidden: hiddenFields, reserializedJSON: metadataValue(forKey: SourceAlteration.reserializedKey) == "json")
    }
}
