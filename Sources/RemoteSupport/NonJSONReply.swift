import Engine

/// Says what a reply was when it should have been a JSON object and was not, so that an
/// HTML login page, a proxy's error page or a truncated body reads as such rather than as a
/// missing field. Shows only the status, a cleaned content type and the size — never the body.
public enum NonJSONReply {
    /// "answered HTTP 200 with text/html (1234 bytes), not JSON (not a JSON object) — is the URL the service's API?"
    public static func explain(_ response: HTTPResponse) -> String {
        let type = contentType(response)
        let size = "\(response.body.count) bytes"
        if response.body.isEmpty {
            return "answered HTTP \(response.status) with an empty body, not a JSON object"
        }
        if type.contains("json") {
            return "answered HTTP \(response.status) with \(type) (\(size)) that is not a JSON object: malformed JSON, "
                + "cut short or corrupt"
        }
        return "answered HTTP \(response.status) with \(type) (\(size)), not JSON (not a JSON object) — is the URL the service's API?"
    }

    /// "answered HTTP 200 with text/html (61 bytes)": what came back, whatever it was.
    public static func summary(_ response: HTTPResponse) -> String {
        "answered HTTP \(response.status) with \(contentType(response)) (\(response.body.count) bytes)"
    }

    /// The media type without parameters, reduced to the characters a media type has.
    static func contentType(_ response: HTTPResponse) -> String {
        guard let raw = response.header("Content-Type") else {
            return response.body.first == UInt8(ascii: "<") ? "HTML or XML (no content type)" : "no content type"
        }
        let type = raw.split(separator: ";").first.map(String.init)?.lowercased() ?? ""
        let clean = String(type.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "/.+-".contains($0)) }.prefix(60))
        return clean.isEmpty ? "no content type" : clean
    }
}
