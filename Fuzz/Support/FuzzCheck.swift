import Foundation

/// Property failures inside a fuzz target. A failure prints what went wrong (never the values,
/// which may be secrets-shaped input) and aborts, so libFuzzer records the input as a crash.
public enum FuzzCheck {
    /// Aborts with `message` unless `condition` holds.
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                               file: StaticString = #fileID, line: UInt = #line) {
        guard !condition() else { return }
        fail(message(), file: file, line: line)
    }

    /// Aborts with `message`.
    public static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        FileHandle.standardError.write(Data("fuzz property failed at \(file):\(line): \(message)\n".utf8))
        abort()
    }

    /// Aborts unless `error` is of the type the parser documents.
    public static func requireError<E: Error>(_ error: Error, is type: E.Type, _ what: String,
                                              file: StaticString = #fileID, line: UInt = #line) {
        guard !(error is E) else { return }
        fail("\(what) threw \(Swift.type(of: error)), not \(E.self)", file: file, line: line)
    }
}
