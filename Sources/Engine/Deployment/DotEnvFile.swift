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
        try scan(text, path: path, reserve: { entries.reserveCapacity($0) }) { name, value, line in
            entries.append((name, value, line))
        }
        return DotEnvFile(entries: entries)
    }

    /// Parses dotenv text and hands each variable to `body` in file order, without building a
    /// `DotEnvFile` (a deployment's `.env` may hold tens of thousands of lines). `reserve` is
    /// first told how many lines the text has. Nothing is handed over past a line in error.
    static func scan(_ text: String, path: String, reserve: (Int) -> Void = { _ in },
                     _ body: (_ name: String, _ value: String, _ line: Int) -> Void) throws {
        var text = text
        // Works on UTF-8 bytes: every syntax character is ASCII.
        try text.withUTF8 { whole in
            try scan(whole, path: path, reserve: reserve, body)
        }
    }

    private static func scan(_ whole: UnsafeBufferPointer<UInt8>, path: String, reserve: (Int) -> Void,
                             _ emit: (String, String, Int) -> Void) throws {
        var bytes = whole
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: whole[3...])
        }
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 32 + 1)
        var lineStart = 0
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") {
            lines.append(lineStart..<i)
            lineStart = i + 1
        }
        lines.append(lineStart..<bytes.count)
        reserve(lines.count)

        func trimmed(_ range: Range<Int>) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 || bytes[upper - 1] == 0x0D { upper -= 1 }
            return lower..<upper
        }
        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        func startsWithExport(_ range: Range<Int>) -> Bool {
            guard range.count >= 7 else { return false }
            let p = range.lowerBound
            return bytes[p] == UInt8(ascii: "e") && bytes[p + 1] == UInt8(ascii: "x") && bytes[p + 2] == UInt8(ascii: "p")
                && bytes[p + 3] == UInt8(ascii: "o") && bytes[p + 4] == UInt8(ascii: "r") && bytes[p + 5] == UInt8(ascii: "t")
                && bytes[p + 6] == 0x20
        }

        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var body = trimmed(lines[index])
            index += 1
            if body.isEmpty || bytes[body.lowerBound] == UInt8(ascii: "#") { continue }
            if startsWithExport(body) { body = trimmed(body.lowerBound + 7..<body.upperBound) }
            var equals = body.lowerBound
            while equals < body.upperBound, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard equals < body.upperBound else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "expected NAME=value, found no '='",
                                  fix: "add '=' after the variable name, or start the line with # to make it a comment")
            }
            let nameRange = trimmed(body.lowerBound..<equals)
            guard Self.isValidName(UnsafeBufferPointer(rebasing: bytes[nameRange])) else {
                throw DotEnvError(path: path, line: lineNumber,
                                  problem: "'\(Self.inert(string(nameRange)))' is not a valid variable name",
                                  fix: "use letters, digits and underscores, not starting with a digit")
            }
            let name = string(nameRange)
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
            emit(name, value, lineNumber)
        }
    }

    /// Reads and parses a dotenv file.
    public static func load(_ url: URL) throws -> DotEnvFile {
        try parse(text(of: url), path: url.path)
    }

    /// A dotenv file's text; a `DotEnvError` when it is not a readable regular file or not UTF-8.
    static func text(of url: URL) throws -> String {
        do {
            return try RegularFile.utf8String(url.path)
        } catch let error as RegularFileError where error.check != .missing && error.check != .inaccessible(reason: "permission denied") {
            throw DotEnvError(path: url.path, line: nil, problem: "the file \(error.check.problem ?? "cannot be read")",
                              fix: error.check.fix)
        } catch is RegularFileError {
            throw DotEnvError(path: url.path, line: nil, problem: "the file cannot be read",
                              fix: "check that it exists and is readable")
        } catch {
            throw DotEnvError(path: url.path, line: nil, problem: "the file is not UTF-8 text",
                              fix: "save it as UTF-8")
        }
    }

    package static func isValidName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { isValidName($0) }
    }

    static func isValidName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = name.first, !(0x30...0x39).contains(first) else { return false }
        for byte in name {
            let valid = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
            if !valid { return false }
        }
        return true
    }

    static func closingQuote(in text: String, quote: Character) -> String.Index? {
        var escaped = false
        for index in text.indices {
            let c = text[index]
            if quote == "\"", c == "\\", !escaped { escaped = true; continue }
            if c == quote, !escaped { return index }
            escaped = false
        }
        return nil
    }

    static func unescapeDoubleQuoted(_ text: String) -> String {
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

    /// Names shown in messages are user text: cut to 60 scalars and made inert by the one rule.
    package static func inert(_ text: String) -> String {
        InertText.make(String(String.UnicodeScalarView(text.unicodeScalars.prefix(60))))
    }
}

/// A dotenv line Strata cannot read. Names the file and line, never the value.
public struct DotEnvError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var problem: String
    public var fix: String

    package init(path: String, line: Int?, problem: String, fix: String) {
        self.path = path
        self.line = line
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(problem); \(fix)"
    }
}
