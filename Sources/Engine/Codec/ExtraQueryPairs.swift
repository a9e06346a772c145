import PythonCompat

/// What `get_uri()` needs of a decoded `extra`: whether it is a dict, and its (key, value) pairs
/// when every value is a `str` — the case it writes as a query string instead of `__extra__`.
///
/// Built by the one JSON scanner (so acceptance and errors are `json.loads`'s), without the
/// dictionary of a full decode: URI generation is the hot loop of bulk conversions.
enum ExtraQueryPairs {
    /// A decoded value reduced to what matters here.
    enum Value {
        case string(String)
        case dict(Pairs)
        case other
    }

    /// A dict's members in Python's order; `nil` marks a value that is not a `str`.
    struct Pairs {
        var members: [(key: String, value: String?)] = []
        /// Positions by key (its UTF-8), built once a dict is big enough for a linear search to cost.
        /// Keys compare by code points, as Python's str keys do, not by Swift's canonical
        /// equivalence: `café` and `cafe\u{301}` are two keys.
        var positions: [[UInt8]: Int]?

        /// Whether the dict is not empty and every value is a `str`: the query-string case.
        var hasOnlyStrings: Bool {
            !members.isEmpty && members.allSatisfy { $0.value != nil }
        }

        mutating func set(_ key: String, _ value: String?) {
            if let index = position(of: key) {
                members[index].value = value
                return
            }
            members.append((key, value))
            if positions != nil {
                positions?[Array(key.utf8)] = members.count - 1
            } else if members.count > 16 {
                positions = Dictionary(members.enumerated().map { (Array($1.key.utf8), $0) }, uniquingKeysWith: { first, _ in first })
            }
        }

        private func position(of key: String) -> Int? {
            if let positions { return positions[Array(key.utf8)] }
            return members.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
        }
    }
}

extension ExtraQueryPairs: PythonJSONBuilder {
    static var null: Value { .other }
    static func bool(_ flag: Bool) -> Value { .other }
    static func integer(_ text: String) -> Value { .other }
    static func float(_ value: Double) -> Value { .other }
    static func string(_ text: String) -> Value { .string(text) }
    static func array(_ items: [Value]) -> Value { .other }
    static func emptyObject() -> Pairs { Pairs() }
    static func set(_ key: String, _ value: Value, in object: inout Pairs) {
        if case .string(let text) = value { object.set(key, text) } else { object.set(key, nil) }
    }
    static func object(_ object: Pairs) -> Value { .dict(object) }
}
