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
        var entries: [(name: String, value: String, line: Int)] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0].removeFirst() }
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = lines[index]
            if line.hasSuffix("\r") { line.removeLast() }
            index += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var body = Substring(trimmed)
            if body.hasPrefix("export ") { body = body.dropFirst(7).drop { $0 == " " || $0 == "\t" } }
            guard let equals = body.firstIndex(of: "=") else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "expected NAME=value, found no '='",
                                  fix: "add '=' after the variable name, or start the line with # to make it a comment")
            }
            let name = body[..<equals].trimmingCharacters(in: .whitespaces)
            guard Self.isValidName(name) else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "'\(Self.inert(name))' is not a valid variable name",
                                  fix: "use letters, digits and underscores, not starting with a digit")
            }
            var rest = Substring(body[body.index(after: equals)...]).drop { $0 == " " || $0 == "\t" }
            let value: String
            if let quote = rest.first, quote == "\"" || quote == "'" {
                // A quoted value may span lines until its closing quote.
                var collected = String(rest.dropFirst())
                var closing = Self.closingQuote(in: collected, quote: quote)
                while closing == nil, index < lines.count {
                    var next = lines[index]
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
                rest = Substring(collected[collected.index(after: closing)...])
            } else {
                if let hash = rest.range(of: " #") ?? rest.range(of: "\t#") { rest = rest[..<hash.lowerBound] }
                value = rest.trimmingCharacters(in: .whitespaces)
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
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "." || $0 == "-"
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
