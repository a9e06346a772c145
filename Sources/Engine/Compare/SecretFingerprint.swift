/// A short keyed hash of a secret, so that two values can be seen to match without showing
/// either. The key is the process's random hashing seed (SipHash), so fingerprints differ on
/// every run: they cannot be compared across runs or looked up offline.
public enum SecretFingerprint {
    public static func of(_ text: String) -> String {
        var hasher = Hasher()
        hasher.combine("strata-fingerprint")
        hasher.combine(text)
        let value = UInt32(truncatingIfNeeded: hasher.finalize())
        let hex = String(value, radix: 16)
        return "#" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The fingerprint of a whole value (a connection's fields in a fixed order).
    public static func of(_ value: TierValue) -> String {
        switch value {
        case .variable(let text):
            return of(text)
        case .connection(let c):
            let port = c.port.map(String.init) ?? "\(c.verbatim["port"].map { "\($0)" } ?? "")"
            let parts: [String?] = [c.connType, c.host, c.login, c.password, c.schema, port, c.extra]
            return of(parts.map { $0.map { "\($0.count):\($0)" } ?? "-" }.joined(separator: "|"))
        }
    }
}
