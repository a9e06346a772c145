/// Parses `backend_kwargs` text the way Airflow's `json.loads` does.
///
/// Interim: a small strict parser until the Engine's shared `JSONValue.parsePython` lands, then
/// this forwards to it. Errors carry a position only, never the text (kwargs hold secrets).
enum BackendKwargsJSON {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) -> Result<JSONValue, Problem> {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        do {
            parser.skipWhitespace()
            let value = try parser.value()
            parser.skipWhitespace()
            guard parser.index == parser.scalars.count else { throw parser.problem("Extra data") }
            return .success(value)
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(Problem(description: "unreadable"))
        }
    }

    private struct Parser {
        var scalars: [Unicode.Scalar]
        var index = 0

        func problem(_ what: String) -> Problem {
            var line = 1, column = 1
            for s in scalars[..<min(index, scalars.count)] {
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            return Problem(description: "\(what): line \(line) column \(column) (char \(index))")
        }

        mutating func skipWhitespace() {
            while index < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[index]) { index += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            guard index + w.count <= scalars.count, Array(scalars[index..<(index + w.count)]) == w else { return false }
            index += w.count
            return true
        }

        mutating func value() throws -> JSONValue {
            guard index < scalars.count else { throw problem("Expecting value") }
            switch scalars[index] {
            case "{": return try object()
            case "[": return try array()
            case "\"": return .string(try string())
            default:
                if literal("null") { return .null }
                if literal("true") { return .bool(true) }
                if literal("false") { return .bool(false) }
                if literal("NaN") { return .float(.nan) }
                if literal("Infinity") { return .float(.infinity) }
                if literal("-Infinity") { return .float(-.infinity) }
                return try number()
            }
        }

        mutating func object() throws -> JSONValue {
            index += 1
            var members = JSONObject()
            skipWhitespace()
            if index < scalars.count, scalars[index] == "}" { index += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard index < scalars.count, scalars[index] == "\"" else {
                    throw problem("Expecting property name enclosed in double quotes")
                }
                let key = try string()
                skipWhitespace()
                guard index < scalars.count, scalars[index] == ":" else { throw problem("Expecting ':' delimiter") }
                index += 1
                skipWhitespace()
                members[key] = try value()
                skipWhitespace()
                guard index < scalars.count else { throw problem("Expecting ',' delimiter") }
                if scalars[index] == "}" { index += 1; return .object(members) }
                guard scalars[index] == "," else { throw problem("Expecting ',' delimiter") }
                index += 1
            }
        }

        mutating func array() throws -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if index < scalars.count, scalars[index] == "]" { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value())
                skipWhitespace()
                guard index < scalars.count else { throw problem("Expecting ',' delimiter") }
                if scalars[index] == "]" { index += 1; return .array(items) }
                guard scalars[index] == "," else { throw problem("Expecting ',' delimiter") }
                index += 1
            }
        }

        mutating func string() throws -> String {
            let start = index
            index += 1
            var out = String.UnicodeScalarView()
            while index < scalars.count {
                let s = scalars[index]
                index += 1
                switch s {
                case "\"": return String(out)
                case "\\":
                    guard index < scalars.count else { break }
                    let e = scalars[index]
                    index += 1
                    switch e {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "/": out.append("/")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        var unit = try hex4()
                        if (0xD800..<0xDC00).contains(unit), literal("\\u") {
                            let low = try hex4()
                            if (0xDC00..<0xE000).contains(low) {
                                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                index -= 6
                            }
                        }
                        // Python keeps lone surrogates; Swift strings cannot, so they become U+FFFD.
                        out.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    default:
                        index -= 2
                        throw problem("Invalid \\escape")
                    }
                default:
                    if s.value < 0x20 { index -= 1; throw problem("Invalid control character at") }
                    out.append(s)
                }
            }
            index = start
            throw problem("Unterminated string starting at")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= scalars.count else { throw problem("Invalid \\uXXXX escape") }
            var v: UInt32 = 0
            for s in scalars[index..<(index + 4)] {
                guard let d = Int(String(s), radix: 16) else { throw problem("Invalid \\uXXXX escape") }
                v = v * 16 + UInt32(d)
            }
            index += 4
            return v
        }

        mutating func number() throws -> JSONValue {
            let start = index
            func digits() -> Int {
                let s = index
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                return index - s
            }
            if index < scalars.count, scalars[index] == "-" { index += 1 }
            guard index < scalars.count, ("0"..."9").contains(scalars[index]) else {
                index = start
                throw problem("Expecting value")
            }
            if scalars[index] == "0" { index += 1 } else { _ = digits() }
            var isFloat = false
            if index + 1 < scalars.count, scalars[index] == ".", ("0"..."9").contains(scalars[index + 1]) {
                index += 1; _ = digits(); isFloat = true
            }
            if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
                let mark = index
                index += 1
                if index < scalars.count, scalars[index] == "+" || scalars[index] == "-" { index += 1 }
                if digits() == 0 { index = mark } else { isFloat = true }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<index])
            let literal = String(text)
            return isFloat ? .float(Double(literal) ?? .nan) : .integer(literal)
        }
    }
}
