extension PythonJSON {
    /// The JSON string literal whose opening quote is at `quoteAt`, decoded exactly as
    /// `json.loads` decodes it (escapes, surrogate pairs), and the index just past its closing
    /// quote; `nil` where `json.loads` would raise.
    package static func string(in bytes: UnsafeBufferPointer<UInt8>, quoteAt: Int) -> (text: String, end: Int)? {
        guard quoteAt < bytes.count, bytes[quoteAt] == UInt8(ascii: "\"") else { return nil }
        let scanner = PythonJSONScanner<JSONValueBuilder>(bytes: bytes)
        var index = quoteAt + 1
        guard let text = try? scanner.scanString(&index, quoteAt: quoteAt) else { return nil }
        return (text, index)
    }
}
