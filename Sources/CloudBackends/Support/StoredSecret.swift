import Engine

/// Turns the text a service stores under a name into a record, as Airflow would read it:
/// variables are the text itself, connections go through the connection parser of `dialect`.
enum StoredSecret {
    static func record(kind: SecretKind, name: String, suggestedID: String, text: String,
                       dialect: ConnectionDialect, metadata: [String: String]) -> TierRecord {
        TierRecord(kind: kind, name: name, suggestedID: suggestedID,
                   state: state(kind: kind, text: text, dialect: dialect), rawText: text, metadata: metadata)
    }

    static func state(kind: SecretKind, text: String, dialect: ConnectionDialect) -> EntryState {
        if text.isEmpty { return .empty }
        switch kind {
        case .variable:
            return .present(.variable(text))
        case .connection:
            return parseConnection(text, dialect: dialect)
        }
    }
}
