import PythonCompat
extension TierValue {
    /// Whether two tiers hold the same value as Airflow would use it. Connections compare
    /// field by field (a description is not part of the value); `extra` compares as JSON so
    /// that `{"a":1}` and `{"a": 1}` are the same.
    public func isEquivalent(to other: TierValue) -> Bool {
        switch (self, other) {
        case let (.variable(a), .variable(b)):
            return a == b
        case let (.connection(a), .connection(b)):
            return a.connType == b.connType && a.host == b.host && a.login == b.login
                && a.password == b.password && a.schema == b.schema && a.port == b.port
                && Self.verbatimMatch(a.verbatim, b.verbatim)
                && Self.extrasMatch(a.extra, b.extra)
        default:
            return false
        }
    }

    /// Verbatim fields other than the description (which is not part of the value).
    private static func verbatimMatch(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        if a.isEmpty && b.isEmpty { return true }
        return a.filter { $0.key != "description" } == b.filter { $0.key != "description" }
    }

    /// Airflow's `extra_dejson` view: no extra reads as an empty object.
    private static func extraDocument(_ text: String?) -> JSONValue? {
        guard let text, !text.isEmpty else { return .object(JSONObject()) }
        return try? JSONValue.parsePython(text)
    }

    private static func extrasMatch(_ a: String?, _ b: String?) -> Bool {
        if a == b { return true }
        guard let left = extraDocument(a), let right = extraDocument(b) else { return false }
        return left == right
    }
}
