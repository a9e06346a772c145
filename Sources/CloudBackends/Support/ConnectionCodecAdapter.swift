import Engine

/// The one place this module calls the Engine's connection codec.
enum ConnectionCodecAdapter {
    /// `get_connection`'s deserialisation of a stripped stored value.
    static func parse(storedValue: String, dialect: ConnectionDialect) throws -> Connection {
        // PENDING: switch to the Engine's public codec, Connection.parse(storedValue:dialect:), when it lands.
        throw CloudFailure(.other, "NotImplementedError: the connection codec is not available in this build")
    }

    /// The Python class name of a codec error, for reasons that must not quote the value.
    static func errorName(_ error: any Error) -> String {
        if let failure = error as? CloudFailure { return String(failure.message.prefix { $0 != ":" }) }
        return String(describing: type(of: error))
    }
}
