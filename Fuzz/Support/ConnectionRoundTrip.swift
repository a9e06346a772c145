import Engine

/// The round-trip property of a connection form (a URI, the JSON form): what the writer
/// writes reads back, and after one round reading what is written changes nothing. (The first
/// round may change a connection: hosts are lower-cased, port 0 dropped, and so on.)
public struct ConnectionRoundTrip: Sendable {
    /// The writer's Airflow name, for messages: `get_uri()`, `as_json()`.
    public let writer: String
    public let write: @Sendable (Connection, ConnectionDialect) throws -> String
    public let read: @Sendable (String, ConnectionDialect) throws -> Connection

    public init(writer: String, write: @escaping @Sendable (Connection, ConnectionDialect) throws -> String,
                read: @escaping @Sendable (String, ConnectionDialect) throws -> Connection) {
        self.writer = writer
        self.write = write
        self.read = read
    }

    /// Checks the property for a connection read in `dialect`; the writer may raise only
    /// `AirflowError`s, as Airflow's does.
    public func check(_ parsed: Connection, _ dialect: ConnectionDialect) {
        guard let first = written(parsed, dialect) else { return }
        let once: Connection
        do {
            once = try read(first, dialect)
        } catch {
            FuzzCheck.fail("[\(dialect)] \(writer) wrote text that does not read back (\(type(of: error)))")
        }
        guard let second = written(once, dialect) else {
            FuzzCheck.fail("[\(dialect)] \(writer) raises for a connection read from \(writer)")
        }
        let twice: Connection
        do {
            twice = try read(second, dialect)
        } catch {
            FuzzCheck.fail("[\(dialect)] the second \(writer) does not read back (\(type(of: error)))")
        }
        let fields = ConnectionComparison.differingFields(once, twice)
        FuzzCheck.require(fields.isEmpty, "[\(dialect)] \(fields) change on a second \(writer) round")
    }

    private func written(_ connection: Connection, _ dialect: ConnectionDialect) -> String? {
        do {
            return try write(connection, dialect)
        } catch {
            FuzzCheck.requireError(error, is: AirflowError.self, "\(writer) [\(dialect)]")
            return nil
        }
    }
}
