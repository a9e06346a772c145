import Crypto

/// HMAC-SHA256 over length-prefixed columns, keyed with a secret made once per process, so a
/// fingerprint can be shown or logged without giving away a clear-text password it covers.
struct RowDigest {
    private static let processKey = SymmetricKey(size: .bits256)
    private var hmac = HMAC<SHA256>(key: RowDigest.processKey)

    mutating func add(_ text: String?) {
        guard let text else { return addTag(0) }
        addTag(1)
        let bytes = Array(text.utf8)
        addLength(bytes.count)
        hmac.update(data: bytes)
    }

    mutating func add(_ number: Int64?) {
        guard let number else { return addTag(0) }
        addTag(2)
        hmac.update(data: withUnsafeBytes(of: number.bigEndian) { Array($0) })
    }

    mutating func add(_ flag: Bool) {
        addTag(flag ? 3 : 4)
    }

    private mutating func addTag(_ tag: UInt8) {
        hmac.update(data: [tag])
    }

    private mutating func addLength(_ count: Int) {
        hmac.update(data: withUnsafeBytes(of: UInt64(count).bigEndian) { Array($0) })
    }

    var hex: String {
        hmac.finalize().map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
        }.joined()
    }
}
