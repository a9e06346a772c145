import Foundation
import Crypto
import Engine

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for requests sent with the Authorization header.
public struct SigV4Signer: Sendable {
    /// The signing name of the service: `secretsmanager`, `ssm`, `sts`, `iam`.
    public var service: String
    public var region: String

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// The parts of one signature, for tests and diagnostics (the signature alone is not secret
    /// once sent, but Strata never logs it).
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signedHeaders: String
        public var signature: String
        public var authorization: String
    }

    /// Adds `X-Amz-Date`, `Host` (when missing), `X-Amz-Security-Token` (temporary credentials)
    /// and `Authorization` to `request`. Every header present is signed.
    public func sign(_ request: inout HTTPRequest, credentials: AWSCredentials, date: Date) {
        let amzDate = Self.amzDate(date)
        request.headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        if !request.headers.contains(where: { $0.name.lowercased() == "host" }) {
            request.headers.append((name: "Host", value: Self.hostHeader(request.url)))
        }
        request.headers.append((name: "X-Amz-Date", value: amzDate))
        if let token = credentials.sessionToken, !token.isEmpty {
            request.headers.append((name: "X-Amz-Security-Token", value: token))
        }
        let parts = signature(for: request, credentials: credentials, amzDate: amzDate)
        request.headers.append((name: "Authorization", value: parts.authorization))
    }

    /// The signature of `request` as it stands (its headers must already hold `x-amz-date`).
    public func signature(for request: HTTPRequest, credentials: AWSCredentials, amzDate: String) -> Signature {
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"

        var headers: [String: [String]] = [:]
        for header in request.headers {
            headers[header.name.lowercased(), default: []].append(Self.trimmedHeaderValue(header.value))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let payloadHash = Self.hex(SHA256.hash(data: request.body))

        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalPath(request.url),
            Self.canonicalQuery(request.url),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope,
            Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let key = SigningKeyCache.shared.key(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                         signedHeaders: signedHeaders, signature: signature, authorization: authorization)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    public static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `20150830T123600Z` in UTC.
    public static func amzDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let ofDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text: [UInt8] = []
        text.reserveCapacity(16)
        func append(_ value: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                text.append(UInt8(48 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, width: 4); append(month, width: 2); append(day, width: 2)
        text.append(UInt8(ascii: "T"))
        append(ofDay / 3_600, width: 2); append(ofDay / 60 % 60, width: 2); append(ofDay % 60, width: 2)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// The proleptic Gregorian date `daysSinceEpoch` days after 1970-01-01.
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The Host header: the host, with the port when it is not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        let isDefault = (url.scheme == "https" && port == 443) || (url.scheme == "http" && port == 80)
        return isDefault ? host : "\(host):\(port)"
    }

    /// The path, each segment URI-encoded once (RFC 3986 unreserved characters kept); `/` when empty.
    static func canonicalPath(_ url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let raw = components?.percentEncodedPath ?? "/"
        let decoded = raw.removingPercentEncoding ?? raw
        if decoded.isEmpty { return "/" }
        return decoded.split(separator: "/", omittingEmptySubsequences: false)
            .map { uriEncode(String($0)) }.joined(separator: "/")
    }

    /// Query parameters URI-encoded and sorted by name, then value.
    static func canonicalQuery(_ url: URL) -> String {
        guard let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery,
              !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1
                ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])) : ""
            return (uriEncode(name), uriEncode(value))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Percent-encodes everything but `A-Z a-z 0-9 - _ . ~`, as SigV4 requires (UTF-8, upper-case hex).
    public static func uriEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(Self.upperHexDigits[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(Self.upperHexDigits[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// Leading and trailing spaces removed, inner runs of spaces collapsed to one.
    static func trimmedHeaderValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Lower-case hex. Written out by hand: `String(format:)` per byte was a third of the time
    /// spent signing a request.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var digits: [UInt8] = []
        digits.reserveCapacity(digest.underestimatedCount * 2)
        for byte in digest {
            digits.append(lowerHexDigits[Int(byte >> 4)])
            digits.append(lowerHexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: digits, as: UTF8.self)
    }

    private static let lowerHexDigits = Array("0123456789abcdef".utf8)
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
