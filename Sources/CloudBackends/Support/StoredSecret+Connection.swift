import Foundation
import Engine

extension StoredSecret {
    /// A stored connection (URI or JSON form) read as Airflow's `get_connection` does, with
    /// the Engine's codec: strip, then JSON when it starts with `{`, else a URI. Errors
    /// propagate out of the backend, so Airflow logs them and asks the next tier; the reason
    /// names the exception class, never the value (Python's messages can quote it).
    static func parseConnection(_ text: String, dialect: ConnectionDialect) -> EntryState {
        do {
            return .present(.connection(try Connection.parse(storedValue: text, dialect: dialect)))
        } catch let error as AirflowError {
            let detail = error.className == "IndexError" ? "the value is only whitespace, " : ""
            return .unreadable(reason: "Airflow cannot parse it (\(detail)\(error.className)); it logs the error and moves on to the next tier")
        } catch {
            return .unreadable(reason: "Airflow cannot parse it (\(type(of: error))); it logs the error and moves on to the next tier")
        }
    }
}
