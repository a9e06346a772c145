import PythonCompat
/// Python's built-in `int(x)` for the values `json.loads` produces, which is how `from_json`
/// converts a port. Results are decimal text, because Python ints are unbounded.
enum PythonIntConversion {
    /// `int(value)`; throws `ValueError`, `OverflowError` or `TypeError` as CPython does.
    static func int(_ value: JSONValue) throws -> String {
        switch value {
        case .integer(let text): return text
        case .bool(let b): return b ? "1" : "0"
        case .float(let d):
            if d.isNaN { throw AirflowError("ValueError", "cannot convert float NaN to integer") }
            if d.isInfinite { throw AirflowError("OverflowError", "cannot convert float infinity to integer") }
            return integerText(d.rounded(.towardZero))
        case .string(let s):
            guard let text = parseDecimal(s) else {
                throw AirflowError("ValueError", "invalid literal for int() with base 10: \(PythonValue.stringRepr(s))")
            }
            return text
        case .null, .array, .object:
            throw AirflowError("TypeError",
                               "int() argument must be a string, a bytes-like object or a real number, not '\(value.pythonTypeName)'")
        }
    }

    /// `int(text)` in base 10: Unicode whitespace around, an optional sign, Unicode decimal
    /// digits with single underscores between them, leading zeros allowed. nil when invalid.
    static func parseDecimal(_ text: String) -> String? {
        // _PyUnicode_TransformDecimalAndSpaceToASCII, then PyLong_FromString.
        var ascii: [UInt8] = []
        ascii.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isPythonWhitespace {
                ascii.append(0x20)
            } else if scalar.isASCII {
                ascii.append(UInt8(scalar.value))
            } else if scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue {
                ascii.append(0x30 + UInt8(digit))
            } else {
                return nil
            }
        }
        var i = 0
        var end = ascii.count
        while i < end, isSpace(ascii[i]) { i += 1 }
        while end > i, isSpace(ascii[end - 1]) { end -= 1 }
        var negative = false
        if i < end, ascii[i] == UInt8(ascii: "+") || ascii[i] == UInt8(ascii: "-") {
            negative = ascii[i] == UInt8(ascii: "-")
            i += 1
        }
        var digits: [UInt8] = []
        var previousWasDigit = false
        while i < end {
            let c = ascii[i]
            if c &- 0x30 < 10 {
                digits.append(c)
                previousWasDigit = true
            } else if c == UInt8(ascii: "_") && previousWasDigit && i + 1 < end && ascii[i + 1] &- 0x30 < 10 {
                previousWasDigit = false
            } else {
                return nil
            }
            i += 1
        }
        guard !digits.isEmpty, digits.count <= 4300 else { return nil }
        // Strip leading zeros for the canonical decimal text.
        var first = 0
        while first < digits.count - 1, digits[first] == UInt8(ascii: "0") { first += 1 }
        let magnitude = String(decoding: digits[first...], as: UTF8.self)
        return (negative && magnitude != "0") ? "-" + magnitude : magnitude
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (0x09...0x0D).contains(b)
    }

    /// The exact decimal text of an integral double (Python's `int(float)`).
    static func integerText(_ d: Double) -> String {
        if d == 0 { return "0" }
        if abs(d) < 9.0e18 { return String(Int64(d)) }
        // d = significand × 2^exponent exactly; multiply out in base 10^9 limbs.
        let significand = d.significandBitPattern | (1 << 52)
        let exponent = Int(d.exponent) - 52
        var limbs: [UInt64] = []
        var s = significand
        while s > 0 { limbs.append(s % 1_000_000_000); s /= 1_000_000_000 }
        for _ in 0..<max(0, exponent) {
            var carry: UInt64 = 0
            for k in limbs.indices {
                let v = limbs[k] * 2 + carry
                limbs[k] = v % 1_000_000_000
                carry = v / 1_000_000_000
            }
            if carry > 0 { limbs.append(carry) }
        }
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return d < 0 ? "-" + text : text
    }
}
