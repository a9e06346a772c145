import Engine

extension ConnectionFormats {
    /// The Engine's codec: the URI and JSON texts Airflow would parse back to the same connection,
    /// in the dialect of the deployment's version and the process context.
    public static func engine(context: LookupContext) -> ConnectionFormats {
        ConnectionFormats(
            uri: { connection, version in try? connection.uri(dialect: ConnectionDialect(version: version, context: context)) },
            json: { connection, version in try? connection.jsonText(dialect: ConnectionDialect(version: version, context: context)) }
        )
    }
}
