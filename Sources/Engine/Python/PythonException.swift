/// A Python exception Strata reproduces: its class name and `str()`. Public so that callers of
/// the codec can describe its errors; messages never quote a secret value.
public struct PythonException: Error, Sendable, Hashable {
    public var className: String
    public var message: String

    public init(_ className: String, _ message: String) {
        self.className = className
        self.message = message
    }
}
