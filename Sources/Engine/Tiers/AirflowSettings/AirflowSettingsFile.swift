import Foundation
import PythonCompat

/// An Astro project's `airflow_settings.yaml`, read as the Astro CLI reads it before
/// `astro dev start` loads it into the local metastore:
///
/// ```yaml
/// airflow:
///   connections:
///     - {conn_id, conn_type, conn_host, conn_schema, conn_login, conn_password, conn_port,
///        conn_uri, conn_extra (a mapping or a JSON string)}
///   variables:
///     - {variable_name, variable_value}
///   pools: [...]
/// ```
///
/// The CLI (Go: viper + mapstructure with weak typing, yaml.v3) turns each entry into an
/// `airflow variables set` / `airflow connections add` command run through `bash -c` with
/// every value in single quotes. Strata reproduces what ends up in the metastore, and marks
/// entries that command cannot store faithfully.
public struct AirflowSettingsFile: Sendable {
    public struct Variable: Sendable, Hashable {
        public var name: String
        /// The text `airflow variables set` receives (weakly typed: `true` → `"1"`, `5` → `"5"`).
        public var value: String
        /// 1-based line of the entry.
        public var line: Int
        /// Why the CLI would not store this entry as written, if it would not.
        public var problem: String?
    }

    public struct ConnectionEntry: Sendable, Hashable {
        public var connID: String
        public var connType: String
        public var host: String
        public var schema: String
        public var login: String
        public var password: String
        public var port: Int
        public var uri: String
        /// The `--conn-extra` text the CLI builds: a string as given, or from a mapping only its
        /// string-to-string members, as `{"k": "v", …}` without JSON escaping.
        public var extra: String
        public var line: Int
        public var problem: String?
        /// Things the CLI does silently (dropped non-string extra members…).
        public var notes: [String]
    }

    public var variables: [Variable]
    public var connections: [ConnectionEntry]
    public var poolCount: Int

    /// Reads and parses the file at `url`.
    public static func load(_ url: URL) throws -> AirflowSettingsFile {
        let text: String
        do {
            text = try RegularFile.utf8String(url.path)
        } catch let error as RegularFileError {
            if error.check == .missing || error.check == .inaccessible(reason: "permission denied") {
                throw TierError("\(url.path): cannot be read; check that it exists and is readable")
            }
            throw TierError("\(url.path): \(error.check.problem ?? "cannot be read"); \(error.check.fix)")
        } catch {
            throw TierError("\(url.path): is not UTF-8 text; save it as UTF-8")
        }
        return try parse(text, path: url.path)
    }

    /// Parses settings text; `path` names the file in errors, which never quote a value.
    public static func parse(_ text: String, path: String) throws -> AirflowSettingsFile {
        try parse(text, path: path, flatDocument: true)
    }

    /// `flatDocument: false` reads the node tree whichever composer builds it (for tests).
    static func parse(_ text: String, path: String, flatDocument: Bool) throws -> AirflowSettingsFile {
        // The plain block-style files the Astro CLI writes are read straight from the block
        // composer's flat document, without building a node tree; the same reader reads
        // libyaml's tree for anything else.
        var bytes = text
        let fast: AirflowSettingsFile? = try bytes.withUTF8 { bytes in
            guard flatDocument, let document = YAMLBlockComposer.composeDocument(bytes) else { return nil }
            return try document.nodes.withUnsafeBufferPointer { nodes in
                try document.children.withUnsafeBufferPointer { children in
                    try read(YAMLBlockNodeRef(nodes: nodes, children: children, bytes: bytes, index: document.root), path: path)
                }
            }
        }
        if let fast { return fast }
        let root: YAMLNode?
        do {
            // libyaml through Strata's own composer: Yams's node tree is several times slower
            // on large files. Go's yaml.v3 refuses duplicate keys; the reader checks them.
            root = try YAMLComposer.composeSingleDocument(text, fastPath: !flatDocument)
        } catch let error as PyYAMLError {
            let line = error.problemLine.map { ":\($0 + 1)" } ?? ""
            let problem = error.message.split(separator: "\n").filter { !$0.hasPrefix("  in ") }.joined(separator: " ")
            throw TierError("\(path)\(line): YAML syntax error (\(problem)); the Astro CLI loads nothing from a file it cannot parse — fix the YAML")
        } catch let error as YAMLExpansionError {
            throw TierError("\(path): \(error) (the Astro CLI's YAML reader refuses excessive aliasing too)")
        }
        guard let root else { return AirflowSettingsFile(variables: [], connections: [], poolCount: 0) }
        return try read(root, path: path)
    }

    /// The settings in a composed document.
    static func read<Node: SettingsYAMLNode>(_ root: Node, path: String) throws -> AirflowSettingsFile {
        var settings = AirflowSettingsFile(variables: [], connections: [], poolCount: 0)
        let reader = Reader<Node>(path: path)
        let top = try reader.mapping(root, what: "the file")
        guard let airflow = top["airflow"] else { return settings }
        if airflow.kind == .scalar, airflow.isPlain, GoYAML.plainScalarKind(airflow.value) == .null { return settings }
        let sections = try reader.mapping(airflow, what: "`airflow`")
        let variables = try reader.list(sections["variables"], what: "`airflow.variables`")
        settings.variables.reserveCapacity(variables?.count ?? 0)
        for index in 0..<(variables?.count ?? 0) {
            let item = variables!.item(index)
            let entry = try reader.mapping(item, what: "a variable entry")
            let line = item.line + 1
            let name = try reader.weakString(entry["variable_name"], what: "variable_name")
            let value = try reader.weakString(entry["variable_value"], what: "variable_value")
            // The CLI skips an entry without a name or without a value.
            guard !name.isEmpty, !value.isEmpty else { continue }
            var problem: String?
            if !Self.isShellSafeName(name) {
                problem = "variable_name has characters the Astro CLI passes to bash unquoted; astro dev start would set a different variable or fail"
            } else if Self.containsSingleQuote(value) {
                problem = "variable_value contains a single quote; the Astro CLI wraps it in '…' for bash, so the command fails or stores a different value"
            }
            settings.variables.append(Variable(name: name, value: value, line: line, problem: problem))
        }
        let connections = try reader.list(sections["connections"], what: "`airflow.connections`")
        settings.connections.reserveCapacity(connections?.count ?? 0)
        for index in 0..<(connections?.count ?? 0) {
            let item = connections!.item(index)
            let entry = try reader.mapping(item, what: "a connection entry")
            let line = item.line + 1
            var connection = ConnectionEntry(
                connID: try reader.weakString(entry["conn_id"], what: "conn_id"),
                connType: try reader.weakString(entry["conn_type"], what: "conn_type"),
                host: try reader.weakString(entry["conn_host"], what: "conn_host"),
                schema: try reader.weakString(entry["conn_schema"], what: "conn_schema"),
                login: try reader.weakString(entry["conn_login"], what: "conn_login"),
                password: try reader.weakString(entry["conn_password"], what: "conn_password"),
                port: try reader.weakInt(entry["conn_port"], what: "conn_port"),
                uri: try reader.weakString(entry["conn_uri"], what: "conn_uri"),
                extra: "", line: line, problem: nil, notes: [])
            guard !connection.connID.isEmpty else { continue }
            (connection.extra, connection.notes) = Self.extraText(entry["conn_extra"])
            if connection.connType.isEmpty && connection.uri.isEmpty {
                connection.problem = "neither conn_type nor conn_uri is set; the Astro CLI skips this connection"
            } else if Self.containsSingleQuote(connection.connID) || Self.containsSingleQuote(connection.connType)
                        || Self.containsSingleQuote(connection.host) || Self.containsSingleQuote(connection.schema)
                        || Self.containsSingleQuote(connection.login) || Self.containsSingleQuote(connection.password)
                        || Self.containsSingleQuote(connection.uri) || Self.containsSingleQuote(connection.extra) {
                connection.problem = "a field contains a single quote; the Astro CLI wraps fields in '…' for bash, so the command fails or stores a different value"
            }
            settings.connections.append(connection)
        }
        if let pools = sections["pools"] { settings.poolCount = ((try? reader.list(pools, what: "pools")) ?? nil)?.count ?? 0 }
        return settings
    }

    /// `jsonString` in the Astro CLI: a string is used as given; a mapping keeps only its
    /// string-to-string members, written as `{"k": "v"}` without escaping.
    static func extraText<Node: SettingsYAMLNode>(_ node: Node?) -> (String, [String]) {
        guard let node else { return ("", []) }
        switch node.kind {
        case .scalar:
            if node.isPlain && GoYAML.plainScalarKind(node.value) == .null { return ("", []) }
            return (node.value, [])
        case .mapping:
            var parts: [String] = []
            var dropped: [String] = []
            for index in 0..<node.count {
                let key = node.key(index), value = node.pairValue(index)
                guard key.kind == .scalar, value.kind == .scalar, Self.isGoString(value) else {
                    dropped.append(key.kind == .scalar ? key.value : "?")
                    continue
                }
                parts.append("\"\(key.value)\": \"\(value.value)\"")
            }
            var notes: [String] = []
            if !dropped.isEmpty {
                notes.append("conn_extra members that are not strings are dropped by the Astro CLI: \(dropped.joined(separator: ", "))")
            }
            return (parts.isEmpty ? "" : "{" + parts.joined(separator: ", ") + "}", notes)
        case .sequence:
            return ("", ["conn_extra must be a mapping or a string; the Astro CLI ignores a list"])
        }
    }

    /// Whether yaml.v3 decodes this scalar to a Go `string` (not a number, bool or null).
    static func isGoString<Node: SettingsYAMLNode>(_ node: Node) -> Bool {
        !node.isPlain || GoYAML.plainScalarKind(node.value) == .string
    }

    static func isShellSafeName(_ name: String) -> Bool {
        // Every allowed character is ASCII, so checking UTF-8 bytes is checking characters.
        for byte in name.utf8 {
            let safe = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":")
            if !safe { return false }
        }
        return true
    }

    static func containsSingleQuote(_ text: String) -> Bool {
        if text.isEmpty { return false }
        var text = text
        return text.withUTF8 { memchr($0.baseAddress!, Int32(UInt8(ascii: "'")), $0.count) != nil }
    }

    /// Reads nodes the way the CLI's mapstructure decoding does, with errors naming the line.
    struct Reader<Node: SettingsYAMLNode> {
        var path: String

        struct Map {
            var node: Node
            /// viper matches keys case-insensitively; the last match wins.
            subscript(key: String) -> Node? {
                var index = node.count - 1
                while index >= 0 {
                    let candidate = node.key(index)
                    if candidate.kind == .scalar && candidate.valueMatches(key) { return node.pairValue(index) }
                    index -= 1
                }
                return nil
            }

            /// ASCII case-insensitive equality against a lower-case key.
            static func matches(_ text: String, _ key: String) -> Bool {
                guard text.utf8.count == key.utf8.count else { return false }
                if text == key { return true }
                return zip(text.utf8, key.utf8).allSatisfy { a, b in
                    a == b || ((0x41...0x5A).contains(a) && a + 0x20 == b)
                }
            }
        }

        func fail(_ node: Node?, _ problem: String) -> TierError {
            TierError("\(path)\(node.map { ":\($0.line + 1)" } ?? ""): \(problem); the Astro CLI loads nothing from this file until it is fixed")
        }

        func mapping(_ node: Node, what: String) throws -> Map {
            guard node.kind == .mapping else { throw fail(node, "\(what) must be a mapping of keys to values") }
            let count = node.count
            if count <= 16 {
                // Entries have a handful of keys: comparing each with the earlier ones beats hashing.
                for later in 0..<count {
                    let key = node.key(later)
                    guard key.kind == .scalar else { continue }
                    for earlier in 0..<later {
                        let other = node.key(earlier)
                        if other.kind == .scalar && other.hasSameValue(as: key) {
                            throw fail(key, "the key '\(key.value)' appears twice in one mapping (the Astro CLI refuses the file)")
                        }
                    }
                }
            } else {
                var seen: Set<String> = []
                seen.reserveCapacity(count)
                for index in 0..<count {
                    let key = node.key(index)
                    guard key.kind == .scalar else { continue }
                    guard seen.insert(key.value).inserted else {
                        throw fail(key, "the key '\(key.value)' appears twice in one mapping (the Astro CLI refuses the file)")
                    }
                }
            }
            return Map(node: node)
        }

        /// The sequence node, or `nil` for a missing or null list.
        func list(_ node: Node?, what: String) throws -> Node? {
            guard let node else { return nil }
            switch node.kind {
            case .sequence: return node
            case .scalar where node.isPlain && GoYAML.plainScalarKind(node.value) == .null: return nil
            default: throw fail(node, "\(what) must be a list (entries starting with '- ')")
            }
        }

        /// mapstructure's weak decoding into a Go `string`.
        func weakString(_ node: Node?, what: String) throws -> String {
            guard let node else { return "" }
            guard node.kind == .scalar else {
                throw fail(node, "\(what) must be a single value, not a list or mapping")
            }
            if !node.isPlain { return node.value }
            switch GoYAML.plainScalarKind(node.value) {
            case .null: return ""
            case .bool(let b): return b ? "1" : "0"
            case .int(let text): return text
            case .float(let d): return GoYAML.formatFloat(d)
            case .string: return node.value
            }
        }

        /// mapstructure's weak decoding into a Go `int`.
        func weakInt(_ node: Node?, what: String) throws -> Int {
            guard let node else { return 0 }
            guard node.kind == .scalar else { throw fail(node, "\(what) must be a number") }
            let kind = node.isPlain ? GoYAML.plainScalarKind(node.value) : .string
            switch kind {
            case .null: return 0
            case .bool(let b): return b ? 1 : 0
            case .int(let text): if let value = Int(text) { return value }
            case .float(let d): if d.isFinite, abs(d) < 9e18 { return Int(d) }
            case .string:
                if node.value.isEmpty { return 0 }
                if let value = Int(node.value) { return value }
            }
            throw fail(node, "\(what) must be a whole number")
        }
    }
}

/// How Go's yaml.v3 types a plain scalar decoded into `interface{}` (YAML 1.2 core schema;
/// timestamps stay strings).
package enum GoYAML {
    package enum Kind: Equatable {
        case null
        case bool(Bool)
        case int(String)
        case float(Double)
        case string
    }

    package static func plainScalarKind(_ text: String) -> Kind {
        // Most values are words: only these first characters can start a non-string.
        guard let first = text.utf8.first else { return .null }
        // Plain decimal digits without a leading zero (a port, a count): an int, spelt as given.
        if first != UInt8(ascii: "0") || text.utf8.count == 1, text.utf8.allSatisfy({ $0 &- 0x30 < 10 }) {
            return .int(text)
        }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "_"):
            break
        default:
            return .string
        }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let plain = text.filter { $0 != "_" }
        var digits = Substring(plain)
        var negative = false
        if digits.first == "-" || digits.first == "+" { negative = digits.first == "-"; digits = digits.dropFirst() }
        if !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) {
            let trimmed = digits.drop { $0 == "0" }
            let magnitude = trimmed.isEmpty ? "0" : String(trimmed)
            if digits.count > 1, digits.first == "0" {
                // Go's ParseInt with base 0 reads a leading 0 as octal.
                if let octal = Int(digits.dropFirst(), radix: 8) { return .int(String(negative ? -octal : octal)) }
                return .string
            }
            return .int(negative && magnitude != "0" ? "-" + magnitude : magnitude)
        }
        if digits.hasPrefix("0x"), let value = Int(digits.dropFirst(2), radix: 16) { return .int(String(negative ? -value : value)) }
        if digits.hasPrefix("0o"), let value = Int(digits.dropFirst(2), radix: 8) { return .int(String(negative ? -value : value)) }
        if digits.hasPrefix("0b"), let value = Int(digits.dropFirst(2), radix: 2) { return .int(String(negative ? -value : value)) }
        if isYAMLFloat(plain), let value = Double(plain) { return .float(value) }
        return .string
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    package static func isYAMLFloat(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let mantissaEnd = s.firstIndex { $0 == "e" || $0 == "E" } ?? s.endIndex
        let mantissa = s[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !mantissa.isEmpty else { return false }
        guard parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return false }
        if parts.count == 1 && parts[0].isEmpty { return false }
        if parts.count == 2 && parts[0].isEmpty && parts[1].isEmpty { return false }
        if mantissaEnd != s.endIndex {
            var exponent = s[s.index(after: mantissaEnd)...]
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy(\.isASCIIDigit) else { return false }
        } else if parts.count == 1 {
            return false // a bare integer is an int
        }
        return true
    }

    /// `strconv.FormatFloat(f, 'f', -1, 64)`: shortest digits, never an exponent.
    package static func formatFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let text = value.description
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        // Expand d.ddde±N without losing the shortest digits.
        let mantissa = text[..<e]
        let exponent = Int(text[text.index(after: e)...]) ?? 0
        let negative = mantissa.hasPrefix("-")
        let unsigned = negative ? mantissa.dropFirst() : mantissa
        let pieces = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = (whole + fraction)
        var point = whole.count + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        } else if point > digits.count {
            digits += String(repeating: "0", count: point - digits.count)
        }
        var intPart = String(digits.prefix(point))
        var fracPart = String(digits.dropFirst(point))
        while fracPart.hasSuffix("0") { fracPart.removeLast() }
        if intPart.isEmpty { intPart = "0" }
        return (negative ? "-" : "") + intPart + (fracPart.isEmpty ? "" : "." + fracPart)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
