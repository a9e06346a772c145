/// A Python exception as Airflow raises it: unqualified class name and `str(exception)`,
/// the same shape as the fixtures' error objects.
public struct AirflowFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var errorClass: String
    public var message: String

    public init(errorClass: String, message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    public var description: String { message.isEmpty ? errorClass : "\(errorClass): \(message)" }
}

/// What Airflow itself returns for a variable row (`Variable.get`).
public enum AirflowVariableAnswer: Sendable, Hashable {
    case value(String)
    /// `KeyError("Variable <key> does not exist")`: the row cannot be decrypted, so Airflow
    /// logs an error and treats it as missing.
    case missing
}

/// What Airflow itself returns for a connection row.
public enum AirflowConnectionAnswer: Sendable, Hashable {
    case connection(Connection)
    /// `MetastoreBackend().get_connection` (or reading a field) raised this; the lookup loop
    /// swallows it and reports "The conn_id `<id>` isn't defined".
    case failed(AirflowFailure)

    /// The lookup's own error for a failed read.
    public static func lookupFailure(connID: String) -> AirflowFailure {
        AirflowFailure(errorClass: "AirflowNotFoundException", message: "The conn_id `\(connID)` isn't defined")
    }
}

import Engine
