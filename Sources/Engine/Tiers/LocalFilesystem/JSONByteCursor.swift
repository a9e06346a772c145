import Foundation
import PythonCompat

/// A position in a JSON document's bytes and the tokens the local-files fast paths read:
/// whitespace (counting lines), single bytes and words, strings, integers. Each fast path
/// keeps its own grammar; the tokens are read the one way `json.loads` reads them.
///
/// Strings are never allowed a raw newline (`json.loads` refuses control characters in
/// them), so counting the newlines in whitespace gives every line.
struct JSONByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The 1-based line of `index`.
    var line = 1

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index == bytes.count }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func consume(word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              memcmp(word.utf8Start, bytes.baseAddress! + index, count) == 0 else { return false }
        index += count
        return true
    }

    /// JSON whitespace (`json.loads` allows exactly these four).
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: index += 1; line += 1
            default: return
            }
        }
    }

    /// A string with no escape and no control character (and only ASCII when `asciiOnly`, so
    /// that equal keys are equal bytes): the range of its content.
    mutating func plainString(asciiOnly: Bool = false) -> Range<Int>? {
        guard consume(Self.quote) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                return start..<(index - 1)
            }
            if byte == Self.backslash || byte < 0x20 || (asciiOnly && byte >= 0x80) { return nil }
            index += 1
        }
        return nil
    }

    /// A string `json.loads` decodes: the range of its content when it has no escape, or the
    /// whole string from its opening quote when it has (decode it with `PythonJSON.string`).
    mutating func string() -> (range: Range<Int>, escaped: Bool)? {
        guard peek() == Self.quote else { return nil }
        let quoteAt = index
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == Self.quote {
                index += 1
                return (start..<(index - 1), false)
            }
            if byte == Self.backslash {
                guard let (_, end) = PythonJSON.string(in: bytes, quoteAt: quoteAt) else { return nil }
                index = end
                return (quoteAt..<end, true)
            }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)`: the range of the integer's text. A fraction or exponent after it
    /// leaves a `.`/`e` where the grammar wants something else, which declines there.
    mutating func integer() -> Range<Int>? {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard let first = peek(), first >= 0x30, first <= 0x39 else { return nil }
        index += 1
        if first != 0x30 {
            while let digit = peek(), digit >= 0x30, digit <= 0x39 { index += 1 }
        }
        return start..<index
    }
}
