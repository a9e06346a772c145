/// Arbitrary-precision unsigned integer arithmetic, just enough for the conversions Python's
/// `int()` does on input Strata reads (binary, octal, hexadecimal and base-60 YAML integers),
/// so that a 30-digit YAML integer keeps every digit as it does in Python.
package struct PythonInteger {
    /// Little-endian limbs of 10^9.
    private var limbs: [UInt64] = [0]
    private static let limbBase: UInt64 = 1_000_000_000

    /// `self = self * multiplier + addend`.
    package mutating func multiply(by multiplier: Int, adding addend: Int) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let value = limbs[i] * UInt64(multiplier) + carry
            limbs[i] = value % Self.limbBase
            carry = value / Self.limbBase
        }
        while carry > 0 {
            limbs.append(carry % Self.limbBase)
            carry /= Self.limbBase
        }
    }

    /// The decimal text.
    package var decimal: String {
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// The digit value of an ASCII hex digit, or `nil`.
    package static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// Python's `int(text, base)` for plain ASCII digit strings (no sign, no underscores);
    /// the decimal text, or `nil` when a character is not a digit of `base`.
    package static func parse<S: StringProtocol>(_ text: S, base: Int) -> String? {
        guard !text.isEmpty else { return nil }
        var number = PythonInteger()
        for byte in text.utf8 {
            guard let digit = digitValue(byte), digit < base else { return nil }
            number.multiply(by: base, adding: digit)
        }
        return number.decimal
    }

    /// A YAML 1.1 base-60 integer (`190:20:30`): the first part is decimal, each later part
    /// a base-60 digit.
    package static func sexagesimal(_ parts: [Substring]) -> String? {
        var number = PythonInteger()
        for (index, part) in parts.enumerated() {
            if index == 0 {
                for byte in part.utf8 {
                    guard let digit = digitValue(byte), digit < 10 else { return nil }
                    number.multiply(by: 10, adding: digit)
                }
            } else {
                guard let digit = Int(part) else { return nil }
                number.multiply(by: 60, adding: digit)
            }
        }
        return number.decimal
    }

    /// Adds a sign to decimal text; `-0` is `0`.
    package static func signed(_ magnitude: String, negative: Bool) -> String {
        (negative && magnitude != "0") ? "-" + magnitude : magnitude
    }
}
