import Foundation

/// Python `str` operations the URI parser needs that `String+Python.swift` does not provide.
enum PythonText {
    /// Python's `str.lower()`: full Unicode lower-case mapping (`İ` → `i̇`), with CPython's
    /// Final_Sigma rule for `Σ`.
    static func lower<S: StringProtocol>(_ s: S) -> String {
        var isASCII = true
        for byte in s.utf8 where byte >= 0x80 { isASCII = false; break }
        if isASCII {
            var hasUpper = false
            for byte in s.utf8 where byte &- 0x41 < 26 { hasUpper = true; break }
            if !hasUpper { return String(s) }
            var bytes = Array(s.utf8)
            for i in bytes.indices where bytes[i] &- 0x41 < 26 { bytes[i] += 0x20 }
            return String(decoding: bytes, as: UTF8.self)
        }
        let scalars = Array(s.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if scalar.value == 0x3A3 {
                result.append(finalSigma(scalars, i) ? "\u{3C2}" : "\u{3C3}")
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    /// CPython's `handle_capital_sigma`: `\p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})`.
    private static func finalSigma(_ scalars: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0, scalars[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, scalars[j].properties.isCased else { return false }
        var k = i + 1
        while k < scalars.count, scalars[k].properties.isCaseIgnorable { k += 1 }
        return k == scalars.count || !scalars[k].properties.isCased
    }

    /// `unicodedata.normalize('NFKC', s)`.
    static func nfkc(_ s: String) -> String {
        s.precomposedStringWithCompatibilityMapping
    }
}
