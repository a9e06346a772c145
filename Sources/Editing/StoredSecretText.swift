import Engine
/// The one text a secrets tier stores for an edited value (a variable's text, a connection's
/// URI or JSON document), with the value Airflow will read back from it — checked, before
/// anything is sent, to be the value the user meant.
public struct StoredSecretText: Sendable {
    /// What is sent to the service.
    public var text: String
    /// The change as Airflow will read it back; verify the write against this.
    public var expected: TierChange
    /// What the form drops that Airflow does not read (said in the receipt).
    public var notes: [String]

    /// The text for `change` (a `.set`) in `form`, for a tier labelled `label` that parses
    /// with `dialect` after `transform`. Throws `EditError(.invalid)` when Airflow cannot build
    /// the form or would read back another connection; messages name fields, never values.
    public static func make(for change: TierChange, dialect: ConnectionDialect, name: String, label: String,
                            transform: (String) throws -> String = { $0 }) throws -> StoredSecretText {
        guard case .set(let value, let form) = change.action else {
            throw EditError(.invalid, "a delete of \(name) stores no text.")
        }
        switch value {
        case .variable(let text, let description):
            var notes: [String] = []
            if description?.isEmpty == false {
                notes.append("\(label) does not keep a variable's description; it was not written")
            }
            return StoredSecretText(text: text, expected: change, notes: notes)
        case .connection(let connection):
            let stored = try StoredConnectionText.make(connection, form: form, dialect: dialect, name: name, label: label,
                                                       transform: transform)
            return StoredSecretText(text: stored.text, expected: .set(change.key, .connection(stored.readBack), form: form),
                                    notes: stored.notes)
        }
    }
}
