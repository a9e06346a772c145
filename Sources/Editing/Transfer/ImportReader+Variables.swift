import Engine
import PythonCompat

extension ImportReader {
    /// `airflow variables import`: `load_variables`, then for each entry `Variable.set(key,
    /// value, description, serialize_json=not isinstance(value, str))`, where an object with a
    /// `value` member gives the value and its `description`.
    static func variableItems(text: String, format: LocalFilesystemFile.Format, path: String, origin: String) throws -> CopyItems {
        var result = CopyItems()
        for variable in try LocalFilesystemFile.loadVariables(text: text, format: format, path: path) {
            let line = variable.line.map { " (line \($0))" } ?? ""
            guard case .string(let id) = variable.key else {
                result.problems.append(CopyProblem(key: .variable(variable.key.pythonStr),
                                                   reason: "the key is a \(variable.key.pythonTypeName), not text\(line); quote it"))
                continue
            }
            let key = SecretKey.variable(id)
            switch storedVariable(variable.value) {
            case .success(let (value, description)):
                result.items.append(CopyItem(key: key, value: .variable(value, description: description), origin: origin))
            case .failure(let reason):
                result.problems.append(CopyProblem(key: key, reason: reason.message + line))
            }
        }
        return result
    }

    /// Airflow 2's `airflow variables import`: `json.load` of the file (JSON only, whatever
    /// its name), then `Variable.set(key, value, serialize_json=not isinstance(value, str))`
    /// for each entry: no descriptions, an object is stored as JSON like any other value.
    static func airflow2VariableItems(text: String, format: LocalFilesystemFile.Format, path: String, origin: String) throws -> CopyItems {
        guard format == .json else {
            throw TransferError("\(path): Airflow 2's variables import reads only JSON files; convert it, or import it into Airflow 3")
        }
        guard case .dict(let dict) = try? PythonJSON.loads(text).value else {
            throw TransferError("\(path): Invalid variables file (Airflow 2 wants one JSON object of variables)")
        }
        var result = CopyItems()
        for (key, value) in zip(dict.keys, dict.values) {
            guard case .string(let id) = key else { continue }
            switch storedVariable(value, unwrapping: false) {
            case .success(let (text, _)):
                result.items.append(CopyItem(key: .variable(id), value: .variable(text, description: nil), origin: origin))
            case .failure(let reason):
                result.problems.append(CopyProblem(key: .variable(id), reason: reason.message))
            }
        }
        return result
    }

    /// The text and description `Variable.set` stores for one imported value; `unwrapping`:
    /// whether an object with a `value` member gives the value and its description (Airflow 3).
    static func storedVariable(_ given: PythonValue, unwrapping: Bool = true) -> Result<(String, String?), TransferError> {
        var value = given
        var description: PythonValue = .none
        if unwrapping, case .dict(let dict) = given, let member = dict[string: "value"] {
            value = member
            description = dict[string: "description"] ?? .none
        }
        let describedAs: String?
        switch description {
        case .none: describedAs = nil
        case .string(let text): describedAs = text
        default:
            return .failure(TransferError("the description is a \(description.pythonTypeName), not text; quote it"))
        }
        if case .string(let text) = value { return .success((text, describedAs)) }
        do {
            return .success((try PythonIndentedJSON.dumps(value), describedAs))
        } catch {
            return .failure(TransferError("the value is a \(value.pythonTypeName), which JSON cannot hold, so Airflow's import fails on it; quote it"))
        }
    }
}
