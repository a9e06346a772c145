import Foundation
import Engine

extension StoredSecret {
    /// A stored connection (URI or JSON form) read as Airflow's `get_connection` does: strip,
    /// then JSON when it starts with `{`, else a URI. Errors propagate out of the backend, so
    /// Airflow logs them and asks the next tier; the reason names the error, never the value.
    static func parseConnection(_ text: String, dialect: ConnectionDialect) -> EntryState {
        let stripped = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !stripped.isEmpty else {
            return .unreadable(reason: "the value is only whitespace; Airflow's parser raises IndexError and it moves on to the next tier")
        }
        do {
            return .present(.connection(try ConnectionCodecAdapter.parse(storedValue: stripped, dialect: dialect)))
        } catch {
            return .unreadable(reason: "Airflow cannot parse it (\(ConnectionCodecAdapter.errorName(error))); it moves on to the next tier")
        }
    }
}
