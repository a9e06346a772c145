import Foundation
import PythonCompat
import Engine

/// How the hashicorp provider turns a secret's key/value data into a variable or a connection.
extension VaultSecret {
    /// What Airflow gets for a variable (or config option): the `value` key.
    func variableState() -> (state: EntryState, rawText: String?, notes: [String: String]) {
        guard let value = data["value"] else {
            return (.unreadable(reason: "the secret has no \"value\" key; Airflow logs \"Vault secret … fetched but does "
                                + "not have required key \\\"value\\\"\" and moves on to the next tier"), nil, [:])
        }
        switch value {
        case .string(let text):
            return (text.isEmpty ? .empty : .present(.variable(text)), text, [:])
        case .null:
            // Airflow gets None: not found here.
            return (.unreadable(reason: "\"value\" is null; Airflow gets None and moves on to the next tier"), nil, [:])
        default:
            // Returned as is: a DAG gets a Python object, not text.
            let text = value.pythonDumps()
            return (.present(.variable(text)), text, ["value_type": value.pythonTypeName])
        }
    }

    /// What Airflow gets for a connection (provider 4.x): a truthy `conn_uri` is parsed as a
    /// stored value (URI, or JSON when it starts with `{`); otherwise the whole secret is
    /// `json.dumps`-ed and parsed as the JSON form, so any other key is an error.
    func connectionState(dialect: ConnectionDialect) -> (state: EntryState, rawText: String?, notes: [String: String]) {
        let stored: String
        var notes: [String: String] = [:]
        if let uri = data["conn_uri"], uri.pythonTruthy {
            guard case .string(let text) = uri else {
                return (.unreadable(reason: "conn_uri is \(uri.pythonTypeName), not text; Airflow's parser raises "
                                    + "AttributeError and it moves on to the next tier"), nil, [:])
            }
            stored = text
            notes["form"] = "conn_uri"
        } else {
            stored = JSONValue.object(data).pythonDumps()
            notes["form"] = "fields"
        }
        let stripped = stored.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !stripped.isEmpty else {
            return (.unreadable(reason: "conn_uri is only whitespace; Airflow's parser raises IndexError and it moves on to "
                                + "the next tier"), stored, notes)
        }
        do {
            return (.present(.connection(try Connection.parse(storedValue: stored, dialect: dialect))), stored, notes)
        } catch let error as AirflowError {
            let hint = notes["form"] == "fields"
                ? " (a secret without conn_uri may only hold conn_type, host, login, password, schema, port, extra and description)"
                : ""
            return (.unreadable(reason: "Airflow cannot parse it (\(error.className))\(hint); it moves on to the next tier"),
                    stored, notes)
        } catch {
            return (.unreadable(reason: "Airflow cannot parse it; it moves on to the next tier"), stored, notes)
        }
    }
}

