import Engine
import Foundation

/// A dotenv file as lines, with the lines each variable occupies, so that one variable can be
/// replaced, added or removed while every other byte stays as it was.
///
/// Entries are found the way `DotEnvFile` finds them (comments, `export `, quoted values that
/// run over several lines); `DotEnvLayout.parse` checks that both agree before an edit.
struct DotEnvLayout {
    /// One variable assignment.
    struct Entry {
        var name: String
        /// 0-based index of its first line.
        var firstLine: Int
        /// 0-based index of its last line (a quoted value may span lines).
        var lastLine: Int
        /// The bytes before the name on its first line: indentation, `export `.
        var prefix: String
    }

    /// The lines, split at `\n`, without it (a `\r` of a CRLF file stays on the line).
    var lines: [String]
    var entries: [Entry]
    var hasByteOrderMark: Bool
    /// The line ending new lines get: `\r\n` when the file uses it.
    var usesCRLF: Bool

    /// Lays out `text`; throws the `DotEnvError` `DotEnvFile` throws for a malformed file.
    static func parse(_ text: String, path: String) throws -> DotEnvLayout {
        let parsed = try DotEnvFile.parse(text, path: path)
        var body = Substring(text)
        let bom = body.unicodeScalars.first == "\u{FEFF}"
        if bom { body = Substring(body.unicodeScalars.dropFirst()) }
        // Split on the scalar: "\r\n" is one Character, and a CRLF line must keep its "\r".
        let lines = body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var layout = DotEnvLayout(lines: lines, entries: [], hasByteOrderMark: bom,
                                  usesCRLF: lines.dropLast().contains { $0.hasSuffix("\r") })
        layout.entries = Self.scan(lines)
        // Both readers must see the same variables on the same lines, or an edit could land
        // on the wrong line.
        let agree = layout.entries.count == parsed.entries.count
            && zip(layout.entries, parsed.entries).allSatisfy { $0.name == $1.name && $0.firstLine + 1 == $1.line }
        guard agree else {
            throw DotEnvError(path: path, line: nil, problem: "Strata cannot tell which lines hold which variable",
                              fix: "edit this file by hand")
        }
        return layout
    }

    /// `DotEnvFile.parse`'s line walk, keeping each entry's span.
    private static func scan(_ lines: [String]) -> [Entry] {
        var entries: [Entry] = []
        var index = 0
        while index < lines.count {
            let first = index
            let line = lines[index]
            index += 1
            var body = Substring(line).trimmingDotEnvBlanks()
            if body.isEmpty || body.hasPrefix("#") { continue }
            if body.hasPrefix("export ") { body = body.dropFirst(7).trimmingDotEnvBlanks() }
            guard let equals = body.firstIndex(of: "=") else { continue }
            let name = String(body[..<equals].trimmingDotEnvBlanks())
            let prefix = String(line[..<line.range(of: name, range: line.startIndex..<equals)!.lowerBound])
            let rest = body[body.index(after: equals)...].trimmingDotEnvBlanks()
            if let quote = rest.first, quote == "\"" || quote == "'" {
                var collected = String(line[line.index(after: rest.startIndex)...])
                if collected.hasSuffix("\r") { collected.removeLast() }
                var closed = closes(collected, quote: quote)
                while !closed, index < lines.count {
                    var next = lines[index]
                    if next.hasSuffix("\r") { next.removeLast() }
                    collected += "\n" + next
                    index += 1
                    closed = closes(collected, quote: quote)
                }
            }
            entries.append(Entry(name: name, firstLine: first, lastLine: index - 1, prefix: prefix))
        }
        return entries
    }

    private static func closes(_ text: String, quote: Character) -> Bool {
        var escaped = false
        for c in text {
            if quote == "\"", c == "\\", !escaped { escaped = true; continue }
            if c == quote, !escaped { return true }
            escaped = false
        }
        return false
    }

    /// The entries that set `name`, in file order.
    func entries(named name: String) -> [Entry] {
        entries.filter { $0.name == name }
    }

    /// The text with `entry`'s lines replaced by one `name=value` line (keeping its prefix).
    func replacing(_ entry: Entry, with assignment: String) -> String {
        var lines = self.lines
        let ending = lines[entry.lastLine].hasSuffix("\r") ? "\r" : ""
        lines.replaceSubrange(entry.firstLine...entry.lastLine, with: [entry.prefix + assignment + ending])
        return render(lines)
    }

    /// The text with a `name=value` line added at the end.
    func appending(_ assignment: String) -> String {
        var lines = self.lines
        let ending = usesCRLF ? "\r" : ""
        if lines.last == "" {
            // The file ends with a newline (or is empty): the new line goes before that end.
            lines.insert(assignment + ending, at: lines.count - 1)
        } else {
            lines.append(assignment + ending)
            lines.append("")
        }
        return render(lines)
    }

    /// The text without `removed`'s lines.
    func removing(_ removed: [Entry]) -> String {
        var lines = self.lines
        for entry in removed.sorted(by: { $0.firstLine > $1.firstLine }) {
            lines.removeSubrange(entry.firstLine...entry.lastLine)
        }
        return render(lines)
    }

    private func render(_ lines: [String]) -> String {
        (hasByteOrderMark ? "\u{FEFF}" : "") + lines.joined(separator: "\n")
    }
}

extension Substring {
    /// Without the spaces, tabs (and a trailing `\r`) `DotEnvFile` trims.
    func trimmingDotEnvBlanks() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return s
    }
}
