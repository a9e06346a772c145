import Foundation

/// The one masking rule: nothing derived from a secret reaches output unless revealed.
///
/// Secrets reach text in three ways, and each has one function here: a credential inside a URL
/// (`maskURLCredentials`), a secret value named by the caller (`redact(_:material:)`), and an
/// error message from Airflow's (or Python's) own code that quotes a piece of the input it
/// refused (`error(className:message:input:)`). Callers keep the exact text only where
/// `--reveal` may show it.
public enum SecretRedaction {
    /// What stands in for a secret: Airflow's own mask.
    public static let marker = "***"

    /// Pieces shorter than this are only masked where a message quotes them whole: replacing
    /// every "ab" in a message would mangle it without protecting anything.
    static let shortestReplacedPiece = 3
    /// Bounds on an error message whose quoted segments are checked one by one.
    static let longestCheckedMessage = 4_096
    static let mostCheckedQuotes = 64

    // MARK: URLs

    /// Every `scheme://userinfo@…` in `text` with its userinfo masked, whether or not the URL
    /// parses: everything between `://` and the last `@` before the next space or quote is
    /// credentials (a password may hold `/`, `#`, `?`, `[`, `@`). The user name is kept when it
    /// is cleanly separable (`user:***@host`); otherwise all of it goes (`***@host`).
    ///
    /// The text is walked scalar by scalar, as Python walks code points: a `/` or `@` followed
    /// by a combining mark is one Swift `Character` with it, and a search by characters would
    /// not see the separator Python's `urlsplit` sees.
    public static func maskURLCredentials(in text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalarRange(of: schemeSeparator, in: scalars[...]) != nil else { return text }
        var result = String.UnicodeScalarView()
        var rest = scalars[...]
        while let separator = scalarRange(of: schemeSeparator, in: rest) {
            result.append(contentsOf: rest[..<separator.upperBound])
            rest = rest[separator.upperBound...]
            let runEnd = rest.firstIndex(where: endsURLRun) ?? rest.endIndex
            // Past the run's last `@` there are no credentials, even if another `://` follows:
            // the whole run is done at once, so hostile text costs one pass, not one per `://`.
            if let at = rest[..<runEnd].lastIndex(of: "@") {
                result.append(contentsOf: maskedUserinfo(rest[..<at]).unicodeScalars)
                result.append(contentsOf: rest[at..<runEnd])
            } else {
                result.append(contentsOf: rest[..<runEnd])
            }
            rest = rest[runEnd...]
        }
        result.append(contentsOf: rest)
        return String(result)
    }

    private static let schemeSeparator: [Unicode.Scalar] = [":", "/", "/"]

    /// The first occurrence of `needle` in `haystack`, compared scalar by scalar.
    static func scalarRange(of needle: [Unicode.Scalar], in haystack: Substring.UnicodeScalarView) -> Range<String.Index>? {
        guard let first = needle.first else { return nil }
        var start = haystack.startIndex
        while let candidate = haystack[start...].firstIndex(of: first) {
            var index = candidate
            var matched = true
            for scalar in needle {
                guard index < haystack.endIndex, haystack[index] == scalar else { matched = false; break }
                index = haystack.index(after: index)
            }
            if matched { return candidate..<index }
            start = haystack.index(after: candidate)
        }
        return nil
    }

    /// Whether a scalar ends the run of text a URL can occupy in a message.
    private static func endsURLRun(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar == "\"" || scalar == "'" || scalar == "`" || scalar == "<" || scalar == ">"
    }

    /// `user:***`, `***`, or the userinfo itself when it is a plain user name without a password.
    private static func maskedUserinfo(_ userinfo: Substring.UnicodeScalarView) -> String {
        let plain: (Substring.UnicodeScalarView) -> Bool = { part in !part.contains { "/?#[]@:\\".unicodeScalars.contains($0) } }
        guard let colon = userinfo.firstIndex(of: ":") else {
            return plain(userinfo) ? String(userinfo) : marker
        }
        let user = userinfo[..<colon]
        let password = userinfo[userinfo.index(after: colon)...]
        if password.isEmpty && plain(user) { return String(userinfo) }
        return plain(user) ? String(user) + ":" + marker : marker
    }

    // MARK: Secret values

    /// `text` with every occurrence of a secret piece masked, then every URL credential masked.
    /// Pieces of `shortestReplacedPiece` characters or more are replaced wherever they occur,
    /// ignoring case (Python lower-cases host names before quoting them).
    public static func redact(_ text: String, material: [String]) -> String {
        var out = text
        let pieces = Set(material.filter { $0.count >= shortestReplacedPiece }).sorted { $0.count > $1.count }
        for piece in pieces { out = replacingScalars(of: piece, in: out) }
        return maskURLCredentials(in: out)
    }

    /// `text` with every occurrence of `piece` replaced by the marker, ignoring case, compared
    /// code point by code point (a character search would miss a piece followed by a combining mark).
    static func replacingScalars(of piece: String, in text: String) -> String {
        let needle = piece.unicodeScalars.map(folded)
        guard let first = needle.first else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var changed = false
        while index < scalars.count {
            if folded(scalars[index]) == first, index + needle.count <= scalars.count,
               (1..<needle.count).allSatisfy({ folded(scalars[index + $0]) == needle[$0] }) {
                out.append(contentsOf: marker.unicodeScalars)
                index += needle.count
                changed = true
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return changed ? String(out) : text
    }

    /// A scalar's lower-case form, for comparing without case.
    private static func folded(_ scalar: Unicode.Scalar) -> String {
        scalar.isASCII ? String(Character(scalar).lowercased()) : scalar.properties.lowercaseMapping
    }

    // MARK: Error text

    /// Airflow's error `ClassName: message` about `input` (the stored text it refused), with
    /// the exact text kept for `--reveal` and a shown text from which every piece of `input`
    /// is gone: the secret fields and the whole input wherever they occur, credentials in URLs,
    /// and any quoted segment (`'…'`, `"…"`) that is part of the input or cannot be checked.
    public static func error(className: String, message: String, input: String) -> RedactedText {
        error(className: className, message: message, material: secretMaterial(of: input))
    }

    /// The same for an error about several secret values (a connection's fields, each given
    /// through `secretMaterial(of:)` by the caller or as is).
    public static func error(className: String, message: String, material: [String]) -> RedactedText {
        let exact = message.isEmpty ? className : "\(className): \(message)"
        guard !message.isEmpty else { return RedactedText(exact: exact, redacted: exact) }
        var shown = redact(message, material: material)
        // Airflow's messages are a line with a quote or two; anything else cannot be checked
        // at a bounded cost, and in doubt nothing of it is shown.
        if shown.count > longestCheckedMessage
            || shown.unicodeScalars.lazy.filter({ $0 == "'" || $0 == "\"" }).count > mostCheckedQuotes {
            return RedactedText(exact: exact, redacted: "\(className) (message withheld: too long to check that it quotes no secret)")
        }
        shown = redactQuotedSegments(in: shown, material: material)
        return RedactedText(exact: exact, redacted: "\(className): \(shown)")
    }

    /// Every quoted segment of `message` that is (ignoring case) a substring of a piece of
    /// `material`, or that holds an escape (a repr whose source cannot be compared), replaced
    /// by the marker. Any opening quote is tried against the next few closing ones, so an
    /// apostrophe in prose ("can't") cannot hide a quote that follows it.
    static func redactQuotedSegments(in message: String, material: [String]) -> String {
        let lowered = material.map { $0.lowercased() }
        func isSecret(_ segment: Substring) -> Bool {
            if segment.count < 2 || segment == Substring(marker) { return false }
            if segment.contains("\\") { return true }
            let needle = segment.lowercased()
            return lowered.contains { $0.contains(needle) }
        }
        let characters = Array(message)
        var out = ""
        var index = 0
        scanning: while index < characters.count {
            let quote = characters[index]
            guard quote == "'" || quote == "\"" else {
                out.append(quote)
                index += 1
                continue
            }
            var closing = index + 1
            var tried = 0
            while closing < characters.count && tried < 8 {
                if characters[closing] == quote {
                    tried += 1
                    if isSecret(Substring(String(characters[(index + 1)..<closing]))) {
                        out += String(quote) + marker + String(quote)
                        index = closing + 1
                        continue scanning
                    }
                }
                closing += 1
            }
            out.append(quote)
            index += 1
        }
        return out
    }

    /// The secret pieces of a stored value: the whole text (as given, stripped and
    /// percent-decoded) and, for a URI, its userinfo, password and query, raw and decoded, and
    /// each query value. Over-inclusive on purpose: it only decides what is hidden.
    public static func secretMaterial(of input: String) -> [String] {
        var pieces: [String] = [input]
        let stripped = input.trimmingCharacters(in: .whitespacesAndNewlines)
        pieces.append(stripped)
        var rest = stripped.unicodeScalars[...]
        while let separator = scalarRange(of: schemeSeparator, in: rest) {
            rest = rest[separator.upperBound...]
            let runEnd = rest.firstIndex(where: { $0.properties.isWhitespace }) ?? rest.endIndex
            let run = rest[..<runEnd]
            if let at = run.lastIndex(of: "@") {
                let userinfo = run[..<at]
                pieces.append(String(userinfo))
                if let colon = userinfo.firstIndex(of: ":") {
                    pieces.append(String(userinfo[userinfo.index(after: colon)...]))
                }
            }
            if let question = run.firstIndex(of: "?") {
                let query = run[run.index(after: question)...]
                pieces.append(String(query))
                for pair in query.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
                    if let equals = pair.firstIndex(of: "=") { pieces.append(String(pair[pair.index(after: equals)...])) }
                }
            }
            // A `://` nested in this run is covered by the pieces above (they reach its last `@`).
            rest = rest[runEnd...]
        }
        let decoded = pieces.compactMap { $0.removingPercentEncoding }
        let plusDecoded = pieces.compactMap { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
        return Array(Set((pieces + decoded + plusDecoded).filter { !$0.isEmpty }))
    }
}
