import Engine

/// A connection's `extra` JSON laid out for the detail pane: pretty-printed in its own key
/// order, values under sensitive keys (Airflow's list) masked unless revealed.
enum ExtraDisplay {
    indirect enum Node {
        case scalar(String)
        case object([(key: String, rawKey: String, value: Node)])
        case array([Node])
    }

    /// The lines to show, or nil when the text is not JSON (it is then shown as stored).
    static func lines(_ text: String, reveal: Bool) -> [String]? {
        var parser = Parser(bytes: Array(text.utf8))
        guard let node = parser.parseDocument() else { return nil }
        var out: [String] = []
        render(node, indent: 0, prefix: "", suffix: "", reveal: reveal, sensitive: false, into: &out)
        return out
    }

    private static func render(_ node: Node, indent: Int, prefix: String, suffix: String, reveal: Bool,
                               sensitive: Bool, into out: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        if sensitive && !reveal {
            out.append(pad + prefix + Masked.placeholder + suffix)
            return
        }
        switch node {
        case .scalar(let raw):
            out.append(pad + prefix + InertText.make(raw) + suffix)
        case .object(let members):
            if members.isEmpty { out.append(pad + prefix + "{}" + suffix); return }
            out.append(pad + prefix + "{")
            for (index, member) in members.enumerated() {
                render(member.value, indent: indent + 2, prefix: InertText.make(member.rawKey) + ": ",
                       suffix: index == members.count - 1 ? "" : ",", reveal: reveal,
                       sensitive: sensitive || SensitiveNames.isSensitive(member.key), into: &out)
            }
            out.append(pad + "}" + suffix)
        case .array(let items):
            if items.isEmpty { out.append(pad + prefix + "[]" + suffix); return }
            out.append(pad + prefix + "[")
            for (index, item) in items.enumerated() {
                render(item, indent: indent + 2, prefix: "", suffix: index == items.count - 1 ? "" : ",",
                       reveal: reveal, sensitive: sensitive, into: &out)
            }
            out.append(pad + "]" + suffix)
        }
    }

    /// A small JSON reader that keeps scalars as written and object keys in order.
    struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func parseDocument() -> Node? {
            guard let node = parseValue(depth: 0) else { return nil }
            skipSpace()
            return index == bytes.count ? node : nil
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func parseValue(depth: Int) -> Node? {
            guard depth < 64 else { return nil }
            skipSpace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, rawKey: String, value: Node)] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard let (raw, decoded) = parseString() else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard let value = parseValue(depth: depth + 1) else { return nil }
                    members.append((decoded, raw, value))
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [Node] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    guard let value = parseValue(depth: depth + 1) else { return nil }
                    items.append(value)
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                guard let (raw, _) = parseString() else { return nil }
                return .scalar(raw)
            default:
                let start = index
                while index < bytes.count, !([0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5D, 0x7D] as [UInt8]).contains(bytes[index]) {
                    index += 1
                }
                guard index > start else { return nil }
                return .scalar(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }

        /// A string token: its text as written (with quotes) and a loose decoding for key matching.
        mutating func parseString() -> (String, String)? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                index += 1
            }
            guard index < bytes.count else { return nil }
            index += 1
            let raw = String(decoding: bytes[start..<index], as: UTF8.self)
            return (raw, String(raw.dropFirst().dropLast()))
        }
    }
}
