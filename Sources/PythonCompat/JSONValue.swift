/// A JSON document as Python's `json` module sees it: object members keep their order,
/// integers keep arbitrary precision, and NaN / Infinity are representable (Python accepts them).
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A Python `int`, kept as its decimal text so that no precision is lost.
    case integer(String)
    /// A Python `float` (may be NaN or ±Infinity).
    case float(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An insertion-ordered JSON object. Setting an existing key replaces the value in place,
/// which is what a Python `dict` does when `json.loads` meets a duplicate key.
public struct JSONObject: Sendable, Hashable, Sequence {
    public private(set) var keys: [String] = []
    /// The values, in the keys' order.
    private var values: [JSONValue] = []
    /// Positions by key, once the object is too big for a linear search: most objects (a
    /// connection's fields, an extra) have a handful of keys, where comparing beats hashing.
    private var positions: [String: Int]?

    /// Objects up to this size are searched key by key.
    private static let linearSearchLimit = 12

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return keys.firstIndex(of: key)
    }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            if let newValue {
                if let index = position(of: key) {
                    values[index] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if positions != nil {
                        positions?[key] = keys.count - 1
                    } else if keys.count > Self.linearSearchLimit {
                        positions = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                    }
                }
            } else if let index = position(of: key) {
                keys.remove(at: index)
                values.remove(at: index)
                if positions != nil {
                    positions = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[index])
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        for value in values { hasher.combine(value) }
    }
}

extension JSONValue {
    /// The string payload, when this is a JSON string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The object payload, when this is a JSON object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}
