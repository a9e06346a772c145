/// CPython 3.11's `json.loads` (the C scanner), producing Python values and raising
/// `JSONDecodeError` with CPython's message and position. Airflow's local-file loader reports
/// the error's `msg` and `lineno`, so both must be exact; object keys also remember the line
/// they were read on, for Strata's detail pane.
package enum PythonJSON {
    /// `json.JSONDecodeError`: `msg`, and the position as line and column (1-based).
    package struct DecodeError: Error, Sendable, Hashable {
        package var msg: String
        package var position: Int
        package var lineno: Int
        package var colno: Int

        /// `str(error)`: `"<msg>: line L column C (char P)"`.
        package var description: String { "\(msg): line \(lineno) column \(colno) (char \(position))" }
    }

    /// `json.loads(text)`; for a top-level object, also the 1-based line of each key's last
    /// occurrence. Scanned by the one `PythonJSONScanner`, building Python values.
    package static func loads(_ text: String) throws -> (value: PythonValue, keyLines: [String: Int]) {
        var copy = text
        return try copy.withUTF8 { bytes in
            var scanner = PythonJSONScanner<PythonValueBuilder>(bytes: bytes, tracksKeyLines: true)
            do {
                let value = try scanner.document()
                return (value, scanner.keyLines)
            } catch let failure as PythonJSONDecoding.Failure {
                switch failure {
                case .decode(let message, let offset): throw DecodeError(message, at: offset, in: bytes)
                case .stop(let offset): throw DecodeError("Expecting value", at: offset, in: bytes)
                case .other(let error): throw error
                }
            }
        }
    }
}

extension PythonJSON.DecodeError {
    /// The error at byte `offset` of `bytes`, its position, line and column counted in code
    /// points as Python counts them in its `str`.
    init(_ message: String, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        let (position, line, column) = PythonJSONDecoding.Failure.location(of: offset, in: bytes)
        self.init(msg: message, position: position, lineno: line, colno: column)
    }
}
