import Engine
/// A YAML document as lines, for edits that replace whole lines and leave the rest (comments
/// included) byte for byte. Only `\n` and `\r\n` breaks are supported: libyaml also breaks
/// lines at a lone `\r`, NEL, LS and PS, and line marks would no longer match.
struct YAMLLines {
    /// Lines without their `\n` (a CRLF line keeps its `\r`).
    var lines: [String]
    var usesCRLF: Bool

    init?(_ text: String) {
        let scalars = text.unicodeScalars
        for (index, scalar) in zip(scalars.indices, scalars) {
            switch scalar.value {
            case 0x85, 0x2028, 0x2029: return nil
            case 0x0D:
                let next = scalars.index(after: index)
                if next == scalars.endIndex || scalars[next] != "\n" { return nil }
            default: break
            }
        }
        lines = scalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        usesCRLF = lines.dropLast().contains { $0.hasSuffix("\r") }
    }

    var text: String { lines.joined(separator: "\n") }

    /// `lines` with this file's line ending.
    func ending(_ new: [String]) -> [String] {
        usesCRLF ? new.map { $0 + "\r" } : new
    }

    /// Whether a line holds nothing YAML reads: blank, or a comment.
    func isBlankOrComment(_ index: Int) -> Bool {
        let trimmed = lines[index].drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed == "\r" || trimmed.hasPrefix("#")
    }

    /// The last line of a block that starts at `start` and runs at most to `limit` (exclusive):
    /// trailing blank lines and comments at `column` or less belong to what follows.
    func blockEnd(from start: Int, before limit: Int, column: Int) -> Int {
        var end = limit - 1
        while end > start {
            let line = lines[end]
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            let blank = rest.isEmpty || rest == "\r"
            let outdentedComment = rest.hasPrefix("#") && indent <= column
            let marker = line.hasPrefix("...") || line.hasPrefix("---")
            guard blank || outdentedComment || marker else { break }
            end -= 1
        }
        return end
    }

    /// Inserts `new` lines after line `index` (−1: at the top), ending the previous last line
    /// when the file had no final newline.
    mutating func insert(_ new: [String], after index: Int) {
        var at = index + 1
        if at >= lines.count {
            // Appending: the final "" after a trailing newline stays last.
            if lines.last == "" { at = lines.count - 1 } else { lines.append("") ; at = lines.count - 1 }
        }
        lines.insert(contentsOf: ending(new), at: at)
    }

    /// Replaces lines `range` with `new`.
    mutating func replace(_ range: ClosedRange<Int>, with new: [String]) {
        lines.replaceSubrange(range, with: ending(new))
    }

    /// Removes lines `range`.
    mutating func remove(_ range: ClosedRange<Int>) {
        lines.removeSubrange(range)
    }

    /// The last line with content (not blank, not a comment), or −1.
    var lastContentLine: Int {
        var index = lines.count - 1
        while index >= 0, isBlankOrComment(index) { index -= 1 }
        return index
    }

    /// The indentation unit the file uses under a top-level key (two spaces when unknown).
    func indentUnit(below column: Int) -> Int {
        for line in lines {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            if indent > column, !rest.isEmpty, rest != "\r", !rest.hasPrefix("#"), !rest.hasPrefix("- ") {
                return indent - column
            }
        }
        return 2
    }
}
