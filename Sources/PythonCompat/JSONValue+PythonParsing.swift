/// `json.loads` exactly as CPython 3.11's C scanner behaves, over UTF-8 bytes.
extension JSONValue {
    /// Python json.loads semantics (NaN/Infinity/-Infinity, duplicate keys: last value wins at the
    /// first key's position, big ints exact, floats), errors as
    /// `PythonException("JSONDecodeError", "Expecting value: line 1 column 1 (char 0)")` with Python's
    /// messages and positions (positions count code points, as Python's `str` does).
    ///
    /// Differences from CPython that cannot be avoided: a lone surrogate escape (`"\ud800"`)
    /// becomes U+FFFD because a Swift `String` cannot hold one; nesting deeper than
    /// `PythonJSONDecoding.maximumDepth` raises `RecursionError` (CPython's limit depends on the
    /// caller's stack depth, about 990 levels in Airflow).
    public static func parsePython(_ text: String) throws -> JSONValue {
        switch loadsPython(text) {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }

    /// `json.loads` without throwing: the value, or the exception Python would raise.
    package static func loadsPython(_ text: String) -> Result<JSONValue, PythonException> {
        loadsPython(text, building: JSONValueBuilder.self)
    }

    /// `json.loads` with another builder: the same acceptance and exceptions, a different result.
    package static func loadsPython<Builder: PythonJSONBuilder>(
        _ text: String, building builder: Builder.Type
    ) -> Result<Builder.Value, PythonException> {
        var copy = text
        return copy.withUTF8 { bytes in
            var scanner = PythonJSONScanner<Builder>(bytes: bytes)
            do {
                return .success(try scanner.document())
            } catch let failure as PythonJSONDecoding.Failure {
                return .failure(failure.error(in: bytes))
            } catch {
                return .failure(PythonException("ValueError", "\(error)"))
            }
        }
    }

    /// `json.loads(text)`, or nil where it raises `JSONDecodeError`; other exceptions are thrown.
    /// Cheap on failure: no message is built, and text that cannot start a JSON value is
    /// refused before scanning.
    package static func loadsPythonIfDecodable(_ text: String) throws -> JSONValue? {
        var copy = text
        return try copy.withUTF8 { bytes -> JSONValue? in
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"), 0x30...0x39,
                 UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "I"):
                break
            default:
                return nil
            }
            var scanner = PythonJSONScanner<JSONValueBuilder>(bytes: bytes)
            do {
                return try scanner.document()
            } catch let failure as PythonJSONDecoding.Failure {
                switch failure {
                case .decode, .stop: return nil
                case .other(let error): throw error
                }
            }
        }
    }
}

