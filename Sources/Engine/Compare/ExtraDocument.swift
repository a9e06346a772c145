import PythonCompat
/// A connection's extra read as Airflow's `extra_dejson` reads it, for comparing key by key.
package enum ExtraDocument {
    /// The members of the extra object, or nil when it is not a JSON object.
    package static func members(_ text: String?) -> JSONObject? {
        guard let text, !text.isEmpty else { return JSONObject() }
        guard case .object(let object)? = try? JSONValue.parsePython(text) else { return nil }
        return object
    }

    /// The extra keys whose values differ, or `.extra` when one side is not an object.
    package static func differingKeys(_ a: String?, _ b: String?) -> [ValueField] {
        if a == b { return [] }
        guard let left = members(a), let right = members(b) else { return [.extra] }
        let keys = Set(left.keys).union(right.keys).sorted()
        return keys.filter { left[$0] != right[$0] }.map { .extraKey($0) }
    }
}
