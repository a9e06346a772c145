/// The address syntax of CPython 3.11's `ipaddress.ip_address`, which `urlsplit` uses to
/// validate a bracketed host.
enum PythonIPAddress {
    @inline(__always)
    static func isHexDigit(_ b: UInt8) -> Bool { PythonURL.hexValue(b) != nil }

    /// `IPv4Address(text)` succeeds: four dot-separated ASCII decimal octets, 0–255, no leading zeros.
    static func isIPv4(_ text: Substring) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        for octet in octets {
            let bytes = Array(octet.utf8)
            guard !bytes.isEmpty, bytes.count <= 3, bytes.allSatisfy({ $0 &- 0x30 < 10 }) else { return false }
            if bytes.count > 1 && bytes[0] == UInt8(ascii: "0") { return false }
            guard Int(String(octet))! <= 255 else { return false }
        }
        return true
    }

    /// `IPv6Address(text)` succeeds, including a `%scope` suffix and an IPv4-style tail.
    static func isIPv6(_ text: String) -> Bool {
        var address = Substring(text)
        if text.contains("/") { return false }
        if let percent = address.firstIndex(of: "%") {
            let scope = address[address.index(after: percent)...]
            if scope.isEmpty || scope.contains("%") { return false }
            address = address[..<percent]
        }
        guard !address.isEmpty else { return false }
        var parts = address.split(separator: ":", omittingEmptySubsequences: false).map { Substring($0) }
        guard parts.count >= 3 else { return false }
        if parts[parts.count - 1].contains(".") {
            guard isIPv4(parts.removeLast()) else { return false }
            parts.append("0")
            parts.append("0")
        }
        guard parts.count <= 9 else { return false }
        var skipIndex: Int?
        for i in 1..<(parts.count - 1) where parts[i].isEmpty {
            if skipIndex != nil { return false }
            skipIndex = i
        }
        var high: Int
        var low: Int
        if let skip = skipIndex {
            high = skip
            low = parts.count - skip - 1
            if parts[0].isEmpty {
                high -= 1
                if high != 0 { return false }
            }
            if parts[parts.count - 1].isEmpty {
                low -= 1
                if low != 0 { return false }
            }
            if 8 - (high + low) < 1 { return false }
        } else {
            guard parts.count == 8, !parts[0].isEmpty, !parts[7].isEmpty else { return false }
            high = parts.count
            low = 0
        }
        let checked = parts[0..<high] + parts[(parts.count - low)...]
        for hextet in checked {
            let bytes = Array(hextet.utf8)
            guard !bytes.isEmpty, bytes.count <= 4, bytes.allSatisfy(isHexDigit) else { return false }
        }
        return true
    }
}
