import Foundation

/// `re.match(pattern, text, re.IGNORECASE)` — the test the AWS backends apply to an id before
/// looking it up: the pattern must match at the start of the id (not necessarily all of it).
///
/// ICU (NSRegularExpression) runs the pattern after Python-only syntax is translated: named
/// groups `(?P<n>…)` / `(?P=n)`, and `\Z` (Python's end of text, ICU's `\z`). Constructs the two
/// engines read differently beyond these are rare in lookup patterns.
// NSRegularExpression is immutable after creation and documented as safe to share between threads.
struct PythonRegexMatch: @unchecked Sendable {
    let pattern: String
    private let regex: NSRegularExpression?

    init(pattern: String) {
        self.pattern = pattern
        self.regex = try? NSRegularExpression(pattern: Self.translate(pattern), options: [.caseInsensitive])
    }

    /// Whether Python would compile the pattern (as far as ICU agrees).
    var isValid: Bool { regex != nil }

    /// `re.match(pattern, text, re.IGNORECASE) is not None`; `nil` when the pattern is invalid
    /// (Python raises `re.error`, which the lookup loop treats as a failed backend).
    func matchesAtStart(_ text: String) -> Bool? {
        guard let regex else { return nil }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [.anchored], range: range) != nil
    }

    static func translate(_ pattern: String) -> String {
        var out = ""
        let count = pattern.count
        // Sentinels let the look-ahead below read past the end without bounds checks.
        let chars = Array(pattern) + Array(repeating: Character("\0"), count: 4)
        var i = 0
        var inClass = false
        while i < count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < count else { out.append("\\"); break }
                let next = chars[i + 1]
                out.append(next == "Z" && !inClass ? "\\z" : "\\\(next)")
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                out.append(c)
                i += 1
                // A `]` right after `[` or `[^` is a literal in both engines.
                if chars[i] == "^" { out.append("^"); i += 1 }
                if chars[i] == "]" { out.append("\\]"); i += 1 }
                continue
            }
            if c == "(", chars[i + 1] == "?", chars[i + 2] == "P" {
                if chars[i + 3] == "<" {
                    out.append("(?<")
                    i += 4
                    continue
                }
                if chars[i + 3] == "=", let close = chars[(i + 4)...].firstIndex(of: ")") {
                    out.append("\\k<\(String(chars[(i + 4)..<close]))>")
                    i = close + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
