import Engine
import PythonCompat
/// A connection turned into the one text a tier stores (a URI or a JSON document), with the
/// connection Airflow will read back from that text, checked to be the one the user meant.
public struct StoredConnectionText: Sendable {
    public var text: String
    /// What Airflow parses `text` into (`deserialize_connection`: strip, `{` → JSON, else URI).
    public var readBack: Connection
    /// Things the form drops that Airflow does not care about (said in the receipt).
    public var notes: [String]

    public init(text: String, readBack: Connection, notes: [String]) {
        self.text = text
        self.readBack = readBack
        self.notes = notes
    }

    /// The text for `connection` in `form` (`.uri` or `.json`) as `dialect` reads it, after
    /// `transform` (Secrets Manager's JSON re-keying). Throws `EditError(.invalid)` when Airflow
    /// cannot build that form, or when reading it back would give a different connection;
    /// messages name fields, never values.
    public static func make(_ connection: Connection, form: ConnectionForm, dialect: ConnectionDialect,
                            name: String, label: String,
                            transform: (String) throws -> String = { $0 }) throws -> StoredConnectionText {
        let text: String
        do {
            switch form {
            case .uri: text = try connection.uri(dialect: dialect)
            case .json: text = try connection.jsonText(dialect: dialect)
            case .fields:
                throw EditError(.invalid, "\(label) stores \(name) as one text (URI or JSON), not as separate fields.")
            }
        } catch let error as EditError {
            throw error
        } catch {
            throw EditError(.invalid, "Airflow cannot write \(name) as \(form == .uri ? "a URI" : "JSON"): "
                            + "\(safeDescription(of: error, for: connection)). Fix that field, then save again.")
        }
        let readBack: Connection
        do {
            readBack = try Connection.parse(storedValue: try transform(text), dialect: dialect)
        } catch {
            throw EditError(.invalid, "\(name) written as \(form == .uri ? "a URI" : "JSON") would not parse back in Airflow "
                            + "(\(safeDescription(of: error, for: connection))); use another form.")
        }
        try checkNothingLost(connection, readBack, form: form, name: name)
        var notes: [String] = []
        if connection.description?.isEmpty == false, readBack.description?.isEmpty != false {
            notes.append("the \(form == .uri ? "URI" : "JSON") form in \(label) cannot hold a description; it was not written")
        }
        return StoredConnectionText(text: text, readBack: readBack, notes: notes)
    }

    /// Throws `EditError(.invalid)` naming the fields that would read back differently.
    public static func checkNothingLost(_ meant: Connection, _ stored: Connection, form: ConnectionForm, name: String) throws {
        let lost = lostFields(meant, stored)
        guard !lost.isEmpty else { return }
        let formName = form == .uri ? "URI" : form == .json ? "JSON" : "field"
        throw EditError(.invalid, "the \(formName) form cannot hold \(name) exactly: "
                        + "\(lost.joined(separator: ", ")) would read back differently. "
                        + (form == .uri ? "Store it as JSON instead." : "Change those fields."))
    }

    /// The fields whose meaning differs between what was meant and what a tier reads back.
    /// `None` and `""` are the same to Airflow (both falsy, both left out of URIs); the
    /// description is not compared (most forms cannot hold it, and the receipt says so).
    public static func lostFields(_ meant: Connection, _ stored: Connection) -> [String] {
        let a = normalized(meant), b = normalized(stored)
        var fields = TierValue.connection(a).differingFields(from: .connection(b)).map(\.description)
        for field in Set(a.verbatim.keys).union(b.verbatim.keys).sorted()
        where field != "description" && a.fieldValue(field) != b.fieldValue(field) && !fields.contains(field) {
            fields.append(field)
        }
        return fields
    }

    /// `connection` with empty texts as `None` and no description.
    static func normalized(_ connection: Connection) -> Connection {
        var c = connection
        func blank(_ s: String?) -> String? { s?.isEmpty == true ? nil : s }
        c.connType = blank(c.connType)
        c.host = blank(c.host)
        c.login = blank(c.login)
        c.password = blank(c.password)
        c.schema = blank(c.schema)
        c.extra = blank(c.extra)
        c.description = nil
        c.verbatim["description"] = nil
        return c
    }

    /// A codec error without any of the connection's values in it.
    public static func safeDescription(of error: Error, for connection: Connection) -> String {
        let className: String
        let message: String
        if let error = error as? PythonException {
            (className, message) = (error.className, error.message)
        } else {
            return String(describing: type(of: error))
        }
        let secrets = [connection.host, connection.login, connection.password, connection.schema, connection.extra]
            .compactMap { $0 }.flatMap { SecretRedaction.secretMaterial(of: $0) }
        return SecretRedaction.error(className: className, message: message, material: secrets).redacted
    }
}
