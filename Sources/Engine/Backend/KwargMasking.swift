import Foundation
import PythonCompat

/// Masks kwarg values for display: a secret kwarg is replaced whole; inside other values,
/// members with sensitive names and passwords in URLs (`scheme://user:pass@host`) are masked.
enum KwargMasking {
    static let marker = "***"

    /// The display text of `value` and whether anything was masked.
    static func display(_ value: JSONValue, isSecret: Bool) -> (text: String, masked: Bool) {
        if isSecret {
            // An empty or null secret reveals nothing and tells the user it is unset.
            if value == .null || value == .string("") { return (value.displayText, false) }
            return (marker, true)
        }
        var masked = false
        let cleaned = mask(value, masked: &masked)
        return (cleaned.displayText, masked)
    }

    private static func mask(_ value: JSONValue, masked: inout Bool) -> JSONValue {
        switch value {
        case .string(let s):
            let cleaned = maskURLPasswords(in: s)
            if cleaned != s { masked = true }
            return .string(cleaned)
        case .array(let items):
            return .array(items.map { mask($0, masked: &masked) })
        case .object(let members):
            var out = JSONObject()
            for (key, member) in members {
                if SensitiveNames.isSensitive(key), member != .null, member != .string("") {
                    out[key] = .string(marker)
                    masked = true
                } else {
                    out[key] = mask(member, masked: &masked)
                }
            }
            return .object(out)
        default:
            return value
        }
    }

    /// `https://user:secret@host/…` → `https://user:***@host/…`, for every URL in the text,
    /// whether or not it parses (the rule is `SecretRedaction`'s).
    static func maskURLPasswords(in text: String) -> String {
        SecretRedaction.maskURLCredentials(in: text)
    }
}
