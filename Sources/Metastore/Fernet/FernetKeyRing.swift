import Crypto
import CryptoExtras
import Foundation

/// Airflow's `[core] fernet_key`: a comma-separated list of keys used as a
/// `cryptography.fernet.MultiFernet` — the first key encrypts, every key is tried to decrypt.
/// An empty setting is Airflow's "null fernet": values are stored in clear.
public struct FernetKeyRing: Sendable {
    public let keys: [FernetKey]

    /// No key: Airflow's null fernet.
    public static let none = FernetKeyRing(keys: [])

    public init(keys: [FernetKey]) {
        self.keys = keys
    }

    /// Parses a `fernet_key` setting. Throws `FernetSettingError` naming the position of a bad
    /// key (1-based) without echoing it.
    public init(setting: String) throws {
        if setting.isEmpty {
            self.keys = []
            return
        }
        var keys: [FernetKey] = []
        let parts = setting.split(separator: ",", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            do {
                keys.append(try FernetKey(base64: String(part)))
            } catch let error as FernetKeyError {
                throw FernetSettingError(position: index + 1, count: parts.count, reason: error)
            }
        }
        self.keys = keys
    }

    /// Whether values are encrypted at all (Airflow's `fernet.is_encrypted`).
    public var encrypts: Bool { !keys.isEmpty }

    // MARK: Decrypting

    /// The plaintext of `token` and the index of the key that opened it; throws
    /// `FernetDecryptionError` when the ring is empty or no key opens it.
    public func decrypt(_ token: String) throws -> (plaintext: [UInt8], keyIndex: Int) {
        guard !keys.isEmpty else { throw FernetDecryptionError.noKey }
        var token = token
        let parsed: ParsedToken? = token.withUTF8 { ParsedToken(utf8: $0) }
        guard let parsed else { throw FernetDecryptionError.invalidToken }
        for (index, key) in keys.enumerated() {
            if let plaintext = parsed.open(with: key) { return (plaintext, index) }
        }
        throw FernetDecryptionError.invalidToken
    }

    /// Decrypts to text, as Airflow's `fernet.decrypt(...).decode()` does (UTF-8, strict).
    public func decryptText(_ token: String) throws -> (text: String, keyIndex: Int) {
        let (bytes, index) = try decrypt(token)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FernetDecryptionError.notUTF8 }
        return (text, index)
    }

    /// Which key (index) opens `token`, or nil — the fixtures' `encrypted_with`.
    public func keyIndex(opening token: String) -> Int? {
        try? decrypt(token).keyIndex
    }

    // MARK: Encrypting

    /// A Fernet token of `text` (UTF-8) made with the first key, as Airflow writes it.
    public func encrypt(_ text: String, now: Date = Date()) throws -> String {
        guard let key = keys.first else { throw FernetDecryptionError.noKey }
        return try Self.encrypt(Array(text.utf8), key: key, timestamp: UInt64(max(0, now.timeIntervalSince1970)),
                                iv: AES._CBC.IV())
    }

    /// The deterministic form used by the spec's test vectors.
    static func encrypt(_ plaintext: [UInt8], key: FernetKey, timestamp: UInt64, iv: AES._CBC.IV) throws -> String {
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key.encryptionKey, iv: iv)
        var body = [UInt8]()
        body.reserveCapacity(25 + ciphertext.count + 32)
        body.append(0x80)
        for shift in stride(from: 56, through: 0, by: -8) { body.append(UInt8(truncatingIfNeeded: timestamp >> UInt64(shift))) }
        body.append(contentsOf: iv)
        body.append(contentsOf: ciphertext)
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key.signingKey)
        body.append(contentsOf: mac)
        return URLSafeBase64.encode(body)
    }
}

/// A decoded token whose layout has been checked, not yet authenticated.
struct ParsedToken {
    let bytes: [UInt8]

    init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard let bytes = URLSafeBase64.decode(utf8: utf8) else { return nil }
        // version | timestamp(8) | iv(16) | ciphertext (≥ 1 block, whole blocks) | hmac(32)
        guard bytes.count >= 1 + 8 + 16 + 16 + 32, bytes[0] == 0x80,
              (bytes.count - 57) % 16 == 0 else { return nil }
        self.bytes = bytes
    }

    func open(with key: FernetKey) -> [UInt8]? {
        bytes.withUnsafeBytes { raw -> [UInt8]? in
            let macStart = raw.count - 32
            let signed = UnsafeRawBufferPointer(rebasing: raw[0..<macStart])
            let mac = UnsafeRawBufferPointer(rebasing: raw[macStart...])
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key.signingKey) else {
                return nil
            }
            guard let iv = try? AES._CBC.IV(ivBytes: raw[9..<25]) else { return nil }
            let ciphertext = UnsafeRawBufferPointer(rebasing: raw[25..<macStart])
            guard let plaintext = try? AES._CBC.decrypt(ciphertext, using: key.encryptionKey, iv: iv) else { return nil }
            return [UInt8](plaintext)
        }
    }
}

/// A `fernet_key` setting with an unusable key. Names the key's position, never the key.
public struct FernetSettingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var position: Int
    public var count: Int
    public var reason: FernetKeyError

    public var description: String {
        let which = count == 1 ? "the Fernet key" : "Fernet key \(position) of \(count) (keys are separated by commas)"
        return "\(which) \(reason)"
    }
}

/// Why a token could not be decrypted.
public enum FernetDecryptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No key is configured (Airflow's null fernet).
    case noKey
    /// No configured key opens the token, or it is not a Fernet token (`InvalidToken`).
    case invalidToken
    /// The key opened the token but the plaintext is not UTF-8.
    case notUTF8

    public var description: String {
        switch self {
        case .noKey: return "no Fernet key is set"
        case .invalidToken: return "no Fernet key decrypts this value"
        case .notUTF8: return "the decrypted value is not UTF-8 text"
        }
    }
}
