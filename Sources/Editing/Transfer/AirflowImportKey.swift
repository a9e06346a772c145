/// Airflow's `helpers.validate_key(key, max_length=200)`, which `airflow connections import`
/// runs on each id and skips those it refuses.
enum AirflowImportKey {
    /// Why Airflow's connections import skips `id`, or nil when it takes it.
    static func connectionProblem(_ id: String) -> String? {
        if id.count > 200 {
            return "Airflow's connections import skips ids longer than 200 characters"
        }
        // KEY_REGEX `^[\w.-]+$`, with Python's Unicode `\w` (alphanumeric or underscore).
        let valid = !id.isEmpty && id.unicodeScalars.allSatisfy { scalar in
            if scalar == "." || scalar == "-" || scalar == "_" { return true }
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
        }
        if !valid {
            return "Airflow's connections import skips this id: only letters, digits, '_', '.' and '-' are allowed"
        }
        if id.contains("..") {
            return "Airflow's connections import skips ids with '..' in them"
        }
        return nil
    }
}
