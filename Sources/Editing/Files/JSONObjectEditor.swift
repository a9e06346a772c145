import Engine
import PythonCompat
/// Edits one top-level member of a JSON object document in place: its value replaced, a member
/// added after the last one, or removed with its comma. Every other byte stays as it was; new
/// text follows the document's indentation.
struct JSONObjectEditor {
    struct Member {
        var key: String
        var keyStart: Int
        var valueStart: Int
        var valueEnd: Int
    }

    private(set) var bytes: [UInt8]
    private(set) var members: [Member] = []
    private var openBrace = 0
    private var closeBrace = 0

    /// Scans `text`; throws when it is not one JSON object (the tier reports such files itself).
    init(_ text: String) throws {
        bytes = Array(text.utf8)
        try scan()
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The indentation of top-level members (nil: members sit on the brace's line).
    var memberIndent: String? {
        guard let first = members.first else { return nil }
        var i = first.keyStart
        while i > 0, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 { i -= 1 }
        guard i > 0, bytes[i - 1] == 0x0A else { return nil }
        return String(decoding: bytes[i..<first.keyStart], as: UTF8.self)
    }

    /// Sets `key` to the JSON text `value` (rendered for `indent`): the last member with that key
    /// is replaced; a new one goes after the last member.
    mutating func set(_ key: String, render: (_ indent: String?) -> String) throws {
        let indent = members.isEmpty ? "  " : memberIndent
        let value = render(indent)
        if let member = members.last(where: { $0.key == key }) {
            bytes.replaceSubrange(member.valueStart..<member.valueEnd, with: Array(value.utf8))
        } else if let last = members.last {
            let separator = indent.map { "\n" + $0 } ?? " "
            bytes.insert(contentsOf: Array(("," + separator + Self.string(key) + ": " + value).utf8), at: last.valueEnd)
        } else {
            let body = "\n  " + Self.string(key) + ": " + value + "\n"
            bytes.replaceSubrange(openBrace + 1..<closeBrace, with: Array(body.utf8))
        }
        try scan()
    }

    /// Removes every member named `key`, each with the comma that separated it.
    mutating func remove(_ key: String) throws {
        while let index = members.lastIndex(where: { $0.key == key }) {
            let member = members[index]
            if index + 1 < members.count {
                bytes.removeSubrange(member.keyStart..<members[index + 1].keyStart)
            } else if index > 0 {
                bytes.removeSubrange(members[index - 1].valueEnd..<member.valueEnd)
            } else {
                bytes.removeSubrange(member.keyStart..<member.valueEnd)
            }
            try scan()
        }
    }

    // MARK: Scanning

    struct Malformed: Error {}

    private mutating func scan() throws {
        members = []
        var i = skipSpace(0)
        if bytes[i...].starts(with: [0xEF, 0xBB, 0xBF]) { i = skipSpace(i + 3) }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { throw Malformed() }
        openBrace = i
        i = skipSpace(i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            closeBrace = i
            return
        }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Malformed() }
            let keyStart = i
            let keyEnd = try skipString(i)
            guard case .string(let key)? = try? JSONValue.parsePython(String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)) else {
                throw Malformed()
            }
            i = skipSpace(keyEnd)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw Malformed() }
            let valueStart = skipSpace(i + 1)
            let valueEnd = try skipValue(valueStart)
            members.append(Member(key: key, keyStart: keyStart, valueStart: valueStart, valueEnd: valueEnd))
            i = skipSpace(valueEnd)
            guard i < bytes.count else { throw Malformed() }
            if bytes[i] == UInt8(ascii: ",") {
                i = skipSpace(i + 1)
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { throw Malformed() }
            closeBrace = i
            return
        }
    }

    private func skipSpace(_ start: Int) -> Int {
        var i = start
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i
    }

    /// The index after the string starting at `start`.
    private func skipString(_ start: Int) throws -> Int {
        var i = start + 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        throw Malformed()
    }

    /// The index after the value starting at `start`.
    private func skipValue(_ start: Int) throws -> Int {
        guard start < bytes.count else { throw Malformed() }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return try skipString(start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""): i = try skipString(i); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            throw Malformed()
        default:
            var i = start
            while i < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
                i += 1
            }
            guard i > start else { throw Malformed() }
            return i
        }
    }

    // MARK: Rendering

    /// A JSON string literal; non-ASCII kept as it is (Python's `json.loads` reads UTF-8).
    static func string(_ text: String) -> String {
        var out = ""
        JSONStringLiteral.append(text, to: &out) { $0.value == 0x7F }
        return out
    }

    /// `value` as JSON text; objects and arrays over several lines when `indent` (the
    /// indentation of the line the value starts on) is given, on one line otherwise.
    static func render(_ value: JSONValue, indent: String?, unit: String = "  ") -> String {
        switch value {
        case .string(let s): return string(s)
        case .object(let object):
            if object.isEmpty { return "{}" }
            let members = object.map { string($0.key) + ": " + render($0.value, indent: indent.map { $0 + unit }, unit: unit) }
            guard let indent else { return "{" + members.joined(separator: ", ") + "}" }
            return "{\n" + members.map { indent + unit + $0 }.joined(separator: ",\n") + "\n" + indent + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            let rendered = items.map { render($0, indent: indent.map { $0 + unit }, unit: unit) }
            guard let indent else { return "[" + rendered.joined(separator: ", ") + "]" }
            return "[\n" + rendered.map { indent + unit + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return value.pythonDumps()
        }
    }
}
