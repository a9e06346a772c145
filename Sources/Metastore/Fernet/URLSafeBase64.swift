/// Base64 as Fernet uses it: the URL-safe alphabet (`-`, `_`), `=` padding.
///
/// Decoding is as lenient as Python's `base64.urlsafe_b64decode`, which Airflow uses through
/// `cryptography`: a token or key Airflow accepts must not be refused here.
enum URLSafeBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// 0xFF marks a byte that is not part of the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "+"))] = 62
        table[Int(UInt8(ascii: "/"))] = 63
        return table
    }()

    static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest == 1 {
            let value = UInt32(input[index]) << 16
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(alphabet[Int(value >> 18 & 63)])
            output.append(alphabet[Int(value >> 12 & 63)])
            output.append(alphabet[Int(value >> 6 & 63)])
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The decoded bytes, or nil where Python's `base64.urlsafe_b64decode` raises.
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(utf8: $0) }
    }

    /// CPython's non-strict `a2b_base64`, after `urlsafe_b64decode` maps `-_` to `+/`:
    /// characters outside the alphabet are skipped, a complete padding ends the input (anything
    /// after it is ignored), and a dangling partial quad is an error.
    static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        let table = decodeTable
        var quadPosition = 0
        var pads = 0
        var left: UInt32 = 0
        loop: for byte in input {
            if byte == UInt8(ascii: "=") {
                if quadPosition >= 2 {
                    pads += 1
                    if quadPosition + pads >= 4 { break loop }
                }
                continue
            }
            let value = table[Int(byte)]
            if value == 0xFF { continue }
            pads = 0
            switch quadPosition {
            case 0:
                left = UInt32(value)
                quadPosition = 1
            case 1:
                output.append(UInt8(truncatingIfNeeded: left << 2 | UInt32(value) >> 4))
                left = UInt32(value) & 0x0F
                quadPosition = 2
            case 2:
                output.append(UInt8(truncatingIfNeeded: left << 4 | UInt32(value) >> 2))
                left = UInt32(value) & 0x03
                quadPosition = 3
            default:
                output.append(UInt8(truncatingIfNeeded: left << 6 | UInt32(value)))
                quadPosition = 0
            }
        }
        return quadPosition == 0 || quadPosition + pads >= 4 ? output : nil
    }
}
