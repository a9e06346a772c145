/// A Python exception Strata reproduces: its class name and `str()`.
/// (Internal; errors that leave the Engine use the public error types of each loader.)
struct PythonException: Error, Sendable, Hashable {
    var className: String
    var message: String

    init(_ className: String, _ message: String) {
        self.className = className
        self.message = message
    }
}
