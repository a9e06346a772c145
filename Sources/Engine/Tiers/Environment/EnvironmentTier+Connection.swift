extension EnvironmentTier {
    /// Parses a stripped, non-empty connection value. A parse error is what Airflow swallows
    /// ("not found"); the reason names Airflow's error, redacted so it never quotes the value.
    static func parseConnection(_ stripped: String, dialect: ConnectionDialect) -> EntryState {
        parseConnectionRevealing(stripped, dialect: dialect).state
    }

    /// The state, and the exact reason when the shown one had to be redacted.
    static func parseConnectionRevealing(_ stripped: String, dialect: ConnectionDialect) -> (state: EntryState, exact: String?) {
        do {
            return (.present(.connection(try ConnectionCodecBridge.parse(storedValue: stripped, dialect: dialect))), nil)
        } catch {
            let (className, message) = ConnectionCodecBridge.describe(error)
            let text = SecretRedaction.error(className: className, message: message, input: stripped)
            func reason(_ error: String) -> String { "Airflow cannot parse it (\(error)); it treats the connection as not found" }
            return (.unreadable(reason: reason(text.redacted)), text.wasRedacted ? reason(text.exact) : nil)
        }
    }
}
