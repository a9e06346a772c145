/// Airflow's `expand_env_var`, applied to every `AIRFLOW__{SECTION}__{KEY}` value it reads:
/// `os.path.expandvars` then `os.path.expanduser`, repeated until nothing changes.
///
/// Airflow expands against its own process environment; Strata only knows the deployment's
/// variables, so references to names the deployment does not set are reported, not guessed.
struct AirflowConfigExpansion {
    var environment: DeploymentEnvironment

    /// The expanded text, and the `$NAME` references left unexpanded because the deployment
    /// does not set them (Airflow leaves those as they are too, unless its process has them).
    func expand(_ text: String) -> (text: String, unresolved: [String]) {
        var current = text
        // Python loops until a fixed point; a self-growing reference would hang Airflow, so
        // Strata stops after a generous bound rather than hang with it.
        for _ in 0..<64 {
            let next = expandUser(expandVariables(current))
            if next == current { break }
            current = next
        }
        return (current, unresolvedReferences(in: current))
    }

    /// `posixpath.expandvars`: `$name` / `${name}` with `name` matching `\w+` (ASCII) or
    /// `[^}]*`; unknown names are left in place.
    func expandVariables(_ text: String) -> String {
        guard text.contains("$") else { return text }
        var scalars = Array(text.unicodeScalars)
        var index = 0
        while let match = Self.nextReference(in: scalars, from: index) {
            if let value = environment[match.name] {
                let replacement = Array(value.unicodeScalars)
                scalars.replaceSubrange(match.range, with: replacement)
                index = match.range.lowerBound + replacement.count
            } else {
                index = match.range.upperBound
            }
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }

    /// `posixpath.expanduser`: a leading `~` or `~/` becomes `$HOME` (with its trailing `/`
    /// removed). `~user` needs the password database of Airflow's machine, so it stays as is.
    func expandUser(_ text: String) -> String {
        guard text.hasPrefix("~") else { return text }
        let rest = text.dropFirst()
        guard rest.isEmpty || rest.hasPrefix("/"), let home = environment["HOME"] else { return text }
        var trimmed = Substring(home)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let expanded = String(trimmed) + rest
        return expanded.isEmpty ? "/" : expanded
    }

    private func unresolvedReferences(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var names: [String] = []
        var index = 0
        while let match = Self.nextReference(in: scalars, from: index) {
            if !names.contains(match.name) { names.append(match.name) }
            index = match.range.upperBound
        }
        return names
    }

    /// The next `\$(\w+|\{[^}]*\})` match at or after `start`, as Python's regex finds it.
    private static func nextReference(in scalars: [Unicode.Scalar], from start: Int)
        -> (range: Range<Int>, name: String)? {
        var i = start
        while i < scalars.count {
            guard scalars[i] == "$", i + 1 < scalars.count else { i += 1; continue }
            let next = scalars[i + 1]
            if isWordScalar(next) {
                var j = i + 1
                while j < scalars.count, isWordScalar(scalars[j]) { j += 1 }
                return (i..<j, string(scalars[(i + 1)..<j]))
            }
            if next == "{", let close = scalars[(i + 2)...].firstIndex(of: "}") {
                return (i..<(close + 1), string(scalars[(i + 2)..<close]))
            }
            i += 1
        }
        return nil
    }

    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s == "_" || (s.properties.isAlphabetic || ("0"..."9").contains(s)))
    }

    private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }
}
