extension EnvironmentTier {
    /// Parses a stripped, non-empty connection value. A parse error is what Airflow swallows
    /// ("not found"); the reason names Airflow's error but never quotes the value.
    static func parseConnection(_ stripped: String, dialect: ConnectionDialect) -> EntryState {
        do {
            return .present(.connection(try ConnectionCodecBridge.parse(storedValue: stripped, dialect: dialect)))
        } catch {
            let (className, message) = ConnectionCodecBridge.describe(error)
            return .unreadable(reason: "Airflow cannot parse it (\(Redaction.redact(className: className, message: message, secretText: stripped))); it treats the connection as not found")
        }
    }
}
