import Foundation

/// A dotenv file as Docker Compose and the Astro CLI read a deployment's environment:
/// `KEY=value`, optional `export `, `#` comments, single quotes literal, double quotes with
/// escapes, and ` #` starting a comment after an unquoted value.
///
/// (Airflow's LocalFilesystemBackend reads `.env` files differently, keeping quotes; that
/// parser lives with the local-files tier.)
public struct DotEnvFile: Sendable {
    /// The variables in file order, with their 1-based line numbers.
    public var entries: [(name: String, value: String, line: Int)]

    /// Parses dotenv text; `path` is only used in error messages.
    public static func parse(_ text: String, path: String) throws -> DotEnvFile {
        // Works on UTF-8 bytes: every syntax character is ASCII, and deployments carry tens
        // of thousands of variables.
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var lines: [Range<Int>] = []
        var lineStart = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
            lines.append(lineStart..<i)
            lineStart = i + 1
        }
        lines.append(lineStart..<bytes.count)

        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0D { upper -= 1 }
            return lower..<upper
        }
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        var entries: [(name: String, value: String, line: Int)] = []
        entries.reserveCapacity(lines.count)
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var body = trimmed(lines[index])
            index += 1
            if body.isEmpty || bytes[body.lowerBound] == UInt8(ascii: "#") { continue }
            if bytes[body].starts(with: Array("export ".utf8)) { body = trimmed(body.lowerBound + 7..<body.upperBound) }
            guard let equals = bytes[body].firstIndex(of: UInt8(ascii: "=")) else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "expected NAME=value, found no '='",
                                  fix: "add '=' after the variable name, or start the line with # to make it a comment")
            }
            let name = string(trimmed(body.lowerBound..<equals))
            guard Self.isValidName(name) else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "'\(Self.inert(name))' is not a valid variable name",
                                  fix: "use letters, digits and underscores, not starting with a digit")
            }
            let rest = trimmed(equals + 1..<body.upperBound)
            let value: String
            if let first = rest.first.map({ bytes[$0] }), first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                // A quoted value may span lines until its closing quote.
                var collected = string(rest.lowerBound + 1..<lines[index - 1].upperBound)
                if collected.hasSuffix("\r") { collected.removeLast() }
                let quote = Character(Unicode.Scalar(first))
                var closing = Self.closingQuote(in: collected, quote: quote)
                while closing == nil, index < lines.count {
                    var next = string(lines[index])
                    if next.hasSuffix("\r") { next.removeLast() }
                    collected += "\n" + next
                    index += 1
                    closing = Self.closingQuote(in: collected, quote: quote)
                }
                guard let closing else {
                    throw DotEnvError(path: path, line: lineNumber,
                                      problem: "the value of \(name) opens a \(quote) quote that is never closed",
                                      fix: "close the quote, or escape it")
                }
                let inner = String(collected[..<closing])
                value = quote == "\"" ? Self.unescapeDoubleQuoted(inner) : inner
            } else {
                var end = rest.upperBound
                var i = rest.lowerBound
                while i < rest.upperBound {
                    if bytes[i] == UInt8(ascii: "#"), i > rest.lowerBound, bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 {
                        end = i
                        break
                    }
                    i += 1
                }
                value = string(trimmed(rest.lowerBound..<end))
            }
            entries.append((name, value, lineNumber))
        }
        return DotEnvFile(entries: entries)
    }

    /// Reads and parses a dotenv file.
    public static func load(_ url: URL) throws -> DotEnvFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DotEnvError(path: url.path, line: nil, problem: "the file cannot be read",
                              fix: "check that it exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DotEnvError(path: url.path, line: nil, problem: "the file is not UTF-8 text",
                              fix: "save it as UTF-8")
        }
        return try parse(text, path: url.path)
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy {
            (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0)
                || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D
        }
    }

    private static func closingQuote(in text: String, quote: Character) -> String.Index? {
        var escaped = false
        for index in text.indices {
            let c = text[index]
            if quote == "\"", c == "\\", !escaped { escaped = true; continue }
            if c == quote, !escaped { return index }
            escaped = false
        }
        return nil
    }

    private static func unescapeDoubleQuoted(_ text: String) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            guard c == "\\", let next = iterator.next() else { result.append(c); continue }
            switch next {
            case "n": result.append("\n")
            case "r": result.append("\r")
            case "t": result.append("\t")
            default: result.append(next)
            }
        }
        return result
    }

    /// Names shown in messages are user text: keep control characters inert.
    static func inert(_ text: String) -> String {
        String(text.unicodeScalars.prefix(60).map { $0.properties.generalCategory == .control
            ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined())
    }
}

/// A dotenv line Strata cannot read. Names the file and line, never the value.
public struct DotEnvError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var problem: String
    public var fix: String

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(problem); \(fix)"
    }
}
