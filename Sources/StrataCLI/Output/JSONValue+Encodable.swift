import Engine
import Foundation
import PythonCompat

extension JSONValue {
    /// An Encodable value as JSON, with snake_case keys in sorted order, to match the rest of
    /// Strata's `--json` output.
    static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        return JSONValue(foundation: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    init(foundation object: Any) {
        switch object {
        case let dictionary as [String: Any]:
            self = .object(JSONObject(dictionary.keys.sorted().map { ($0, JSONValue(foundation: dictionary[$0]!)) }))
        case let array as [Any]:
            self = .array(array.map(JSONValue.init(foundation:)))
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            // Foundation stores JSON booleans as char-typed numbers and reals as doubles.
            let type = String(cString: number.objCType)
            if type == "c" || type == "B" {
                self = .bool(number.boolValue)
            } else if type == "d" || type == "f" {
                self = .float(number.doubleValue)
            } else {
                self = .integer(number.stringValue)
            }
        default:
            self = .null
        }
    }
}
