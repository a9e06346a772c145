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
        return left.equalsAsPythonValue(right)
    }
}

/// How a shadowed tier's value relates to the winner's.
public enum ValueAgreement: Sendable, Hashable {
    case same
    case differs
    /// Every field both sources show agrees, but one of them hid or re-serialised a field, so
    /// whether the values are the same cannot be told.
    case cannotTell
}

extension TierValue {
    /// Compares two values where `alteration` says what a source hid or re-serialised: hidden
    /// fields are left out of the comparison, and agreement on everything else is `cannotTell`.
    public func agreement(with other: TierValue, alteration: SourceAlteration) -> ValueAgreement {
        if alteration.isNone { return isEquivalent(to: other) ? .same : .differs }
        switch (self, other) {
        case let (.variable(a), .variable(b)):
            if alteration.hidden.hides("value") { return .cannotTell }
            if a == b { return .same }
            guard alteration.reserializedJSON else { return .differs }
            // The source showed json.dumps(json.loads(stored)): the texts agree when both read as
            // the same JSON document, whatever the stored formatting was.
            guard let left = try? JSONValue.parsePython(a), let right = try? JSONValue.parsePython(b) else { return .differs }
            return left.pythonDumps() == right.pythonDumps() ? .cannotTell : .differs
        case var (.connection(a), .connection(b)):
            let hidden = alteration.hidden
            if hidden.isEmpty { return isEquivalent(to: other) ? .same : .differs }
            if hidden.hides("password") { a.password = nil; b.password = nil }
            if hidden.hides("extra") {
                a.extra = nil
                b.extra = nil
            } else if !hidden.extraPaths.isEmpty {
                a.extra = Self.blanking(hidden.extraPaths, in: a.extra)
                b.extra = Self.blanking(hidden.extraPaths, in: b.extra)
            }
            return TierValue.connection(a).isEquivalent(to: .connection(b)) ? .cannotTell : .differs
        default:
            return .differs
        }
    }

    /// `extra` with each hidden leaf set to null, so that only the visible keys are compared.
    private static func blanking(_ paths: [[String]], in extra: String?) -> String? {
        guard let extra, !extra.isEmpty, var document = try? JSONValue.parsePython(extra) else { return extra }
        for path in paths { document = document.replacingLeaf(at: path[...], with: .null) }
        return document.pythonDumps()
    }
}

extension JSONValue {
    /// This document with the value at `path` (object keys and list positions) replaced; unchanged
    /// when the path leads nowhere.
    package func replacingLeaf(at path: ArraySlice<String>, with replacement: JSONValue) -> JSONValue {
        guard let first = path.first else { return replacement }
        switch self {
        case .object(var object):
            guard let child = object[first] else { return self }
            object[first] = child.replacingLeaf(at: path.dropFirst(), with: replacement)
            return .object(object)
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { return self }
            items[index] = items[index].replacingLeaf(at: path.dropFirst(), with: replacement)
            return .array(items)
        default:
            return self
        }
    }

    /// The value at `path` (object keys and list positions), or nil.
    package func leaf(at path: ArraySlice<String>) -> JSONValue? {
        guard let first = path.first else { return self }
        switch self {
        case .object(let object): return object[first]?.leaf(at: path.dropFirst())
        case .array(let items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            return items[index].leaf(at: path.dropFirst())
        default: return nil
        }
    }

    /// Python's `==` on what `json.loads` returns: dicts compare without regard to key order
    /// (`{"a": 1, "b": 2} == {"b": 2, "a": 1}`), lists in order; 1 == 1.0 and True == 1 as in Python.
    package func equalsAsPythonValue(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { member in b[member.key].map { member.value.equalsAsPythonValue($0) } ?? false }
        case let (.array(a), .array(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.equalsAsPythonValue($1) }
        case (.integer, .float), (.float, .integer), (.bool, .integer), (.integer, .bool), (.bool, .float), (.float, .bool):
            guard let x = numeric, let y = other.numeric else { return false }
            return x == y
        default:
            return self == other
        }
    }

    /// A number's value, with Python's True == 1 and False == 0.
    private var numeric: Double? {
        switch self {
        case .integer(let text): return Double(text)
        case .float(let value): return value
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }
}
