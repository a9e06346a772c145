import Crypto

/// One Fernet key: 32 bytes, the first half signs (HMAC-SHA256), the second encrypts (AES-128-CBC).
public struct FernetKey: Sendable {
    let signingKey: SymmetricKey
    let encryptionKey: SymmetricKey

    /// Reads a url-safe base64 key as `cryptography.fernet.Fernet(key)` does (Python's lenient
    /// decoder: whitespace and stray characters are skipped, the padding must be complete).
    public init(base64 text: String) throws {
        guard let bytes = URLSafeBase64.decode(text) else {
            throw FernetKeyError.notBase64
        }
        guard bytes.count == 32 else { throw FernetKeyError.wrongLength(bytes.count) }
        self.init(bytes: bytes)
    }

    init(bytes: [UInt8]) {
        signingKey = SymmetricKey(data: bytes[0..<16])
        encryptionKey = SymmetricKey(data: bytes[16..<32])
    }

    /// A fresh random key in url-safe base64, as `Fernet.generate_key()` makes.
    public static func generate() -> String {
        let key = SymmetricKey(size: .bits256)
        return key.withUnsafeBytes { URLSafeBase64.encode($0) }
    }
}

/// Why a Fernet key is unusable. Never carries the key itself.
public enum FernetKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case notBase64
    case wrongLength(Int)

    public var description: String {
        switch self {
        case .notBase64:
            return "is not url-safe base64 (a Fernet key is 44 characters of A–Z, a–z, 0–9, '-' and '_', ending in '='; check for a missing '=')"
        case .wrongLength(let count):
            return "decodes to \(count) bytes instead of 32 (a Fernet key is 44 base64 characters)"
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
