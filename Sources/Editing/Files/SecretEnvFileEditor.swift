import Engine
/// Edits one `KEY=value` line of a LocalFilesystemBackend `.env` file, which Airflow reads
/// line by line (Python's `splitlines`), splitting at the first `=` with no quoting at all.
/// Every other line, and every line ending, stays as it was.
struct SecretEnvFileEditor {
    /// A line and the break that ends it ("" for the last line).
    struct Line {
        var body: Substring
        var ending: Substring
    }

    private(set) var lines: [Line]

    init(_ text: String) {
        lines = Self.split(text)
    }

    var text: String { lines.map { String($0.body) + String($0.ending) }.joined() }

    /// The key of a line Airflow reads as an assignment, nil for blank and comment lines.
    static func key(of line: Substring) -> Substring? {
        if line.isEmpty { return nil }
        if let first = line.unicodeScalars.first(where: { !$0.isPythonWhitespace }), first == "#" { return nil }
        guard let equals = line.unicodeScalars.firstIndex(of: "=") else { return nil }
        return Substring(line.unicodeScalars[..<equals])
    }

    /// Whether `line` sets exactly `key` (compared as Python compares: code point by code point).
    static func sets(_ line: Substring, _ key: String) -> Bool {
        Self.key(of: line)?.utf8.elementsEqual(key.utf8) ?? false
    }

    /// Replaces the line setting `key` (the last, if several) or appends one.
    mutating func set(_ key: String, value: String) {
        let newBody = Substring(key + "=" + value)
        if let index = lines.lastIndex(where: { Self.sets($0.body, key) }) {
            lines[index].body = newBody
            return
        }
        let ending = Substring(lines.first(where: { !$0.ending.isEmpty })?.ending ?? "\n")
        if let last = lines.last, last.body.isEmpty, last.ending.isEmpty {
            lines[lines.count - 1] = Line(body: newBody, ending: ending)
        } else {
            if !lines.isEmpty, lines[lines.count - 1].ending.isEmpty { lines[lines.count - 1].ending = ending }
            lines.append(Line(body: newBody, ending: ending))
        }
    }

    /// Removes every line setting `key`.
    mutating func remove(_ key: String) {
        lines.removeAll { Self.sets($0.body, key) }
    }

    /// Why `key=value` cannot be one line Airflow reads back as exactly that, or nil.
    static func problem(key: String, value: String) -> String? {
        func breaksLine(_ s: String) -> Bool { split(s).count > 1 }
        if key.isEmpty { return "an empty key" }
        if key.contains("=") { return "a key containing '=' (Airflow splits the line at the first '=')" }
        if breaksLine(key) || breaksLine(value) { return "a line break (Airflow reads the file line by line)" }
        if let first = key.unicodeScalars.first(where: { !$0.isPythonWhitespace }), first == "#" {
            return "a key starting with '#' (Airflow skips the line as a comment)"
        }
        if key.unicodeScalars.allSatisfy(\.isPythonWhitespace) { return "a blank key" }
        if value.isEmpty { return "an empty value (Airflow refuses the whole file: \"Value is empty.\")" }
        return nil
    }

    /// Python's `str.splitlines(keepends=True)`, as pairs of body and ending.
    private static func split(_ text: String) -> [Line] {
        var lines: [Line] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            let scalar = scalars[i]
            var next = scalars.index(after: i)
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029, 0x0D:
                if scalar.value == 0x0D, next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                lines.append(Line(body: Substring(scalars[start..<i]), ending: Substring(scalars[i..<next])))
                start = next
            default:
                break
            }
            i = next
        }
        if start < scalars.endIndex || lines.isEmpty {
            lines.append(Line(body: Substring(scalars[start..<scalars.endIndex]), ending: ""))
        }
        return lines
    }
}
