/// Names the deployment and the database in every message.
struct ErrorContext: Sendable, Hashable {
    var deployment: String
    var location: String

    func error(_ kind: MetastoreError.Kind, _ problem: String, check: String? = nil) -> MetastoreError {
        var message = "deployment '\(deployment)': the metastore \(location) \(problem)"
        if let check { message += "; \(check)" }
        return MetastoreError(kind, message)
    }

    /// For write-side problems that concern a value, not the database.
    func plain(_ kind: MetastoreError.Kind, _ text: String) -> MetastoreError {
        MetastoreError(kind, "deployment '\(deployment)': \(text)")
    }
}
