import Engine
import PythonCompat

/// How a value read back from an exported file differs from the value exported: fields lost
/// (the entry must not be written) and losses the format forces (written, with a note).
struct TransferComparison {
    var lost: [String] = []
    var notes: [String] = []

    init(meant: EditValue, got: EditValue, format: TransferFormat, airflow: AirflowVersion = .v3) {
        let holdsDescriptions = format == .json || format == .yaml
        switch (meant, got) {
        case (.variable(let text, let description), .variable(let gotText, let gotDescription)):
            if text != gotText { lost.append("value") }
            if description != gotDescription {
                if airflow == .v2, description != nil {
                    notes.append("its description was not written: Airflow 2's variables import has no place for it")
                } else if holdsDescriptions || description == nil {
                    lost.append("description")
                } else {
                    notes.append("its description was not written: \(Self.name(format)) has no place for it")
                }
            }
        case (.connection(let connection), .connection(let gotConnection)):
            var emptied: [String] = [], unset: [String] = []
            for field in Connection.fieldNames {
                let a = connection.fieldValue(field), b = gotConnection.fieldValue(field)
                if a == b { continue }
                if field == "description", !holdsDescriptions, b == .null {
                    notes.append("its description was not written: \(Self.name(format)) has no place for it")
                } else if a == .null, b == .string("") {
                    emptied.append(field)
                } else if a == .string(""), b == .null {
                    unset.append(field)
                } else {
                    lost.append(field)
                }
            }
            // Airflow reads an empty field and an unset one alike; only the spelling changes.
            if !emptied.isEmpty {
                notes.append("\(emptied.joined(separator: ", ")) \(emptied.count == 1 ? "reads" : "read") back as empty text "
                             + "(unset in the source); Airflow treats both alike")
            }
            if !unset.isEmpty {
                notes.append("\(unset.joined(separator: ", ")) \(unset.count == 1 ? "reads" : "read") back as unset "
                             + "(empty text in the source); Airflow treats both alike")
            }
        default:
            lost.append("kind")
        }
    }

    /// The fields in which two values differ (names only: the values may be secrets).
    static func differingFields(_ a: EditValue, _ b: EditValue) -> [String] {
        switch (a, b) {
        case (.variable(let x, let dx), .variable(let y, let dy)):
            return (x == y ? [] : ["value"]) + (dx == dy ? [] : ["description"])
        case (.connection(let x), .connection(let y)):
            return Connection.fieldNames.filter { x.fieldValue($0) != y.fieldValue($0) }
        default:
            return ["kind"]
        }
    }

    static func name(_ format: TransferFormat) -> String {
        switch format {
        case .env: return "a .env file"
        case .astro: return "airflow_settings.yaml"
        case .json: return "a JSON file"
        case .yaml: return "a YAML file"
        }
    }
}
