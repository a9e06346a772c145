import Engine
import Foundation

/// Creates, updates and deletes variables and connections in a deployment's metastore, the way
/// Airflow's models store them: values encrypted with the first Fernet key (in clear when no key
/// is set), one transaction per change, and a conflict — never a silent overwrite — when the
/// row is no longer as it was read.
public struct MetastoreWriter: Sendable {
    public let tier: MetastoreTier
    public let readOnly: Bool

    /// A writer for `deployment`'s metastore. Throws `MetastoreError` when none is configured.
    public init(deployment: Deployment) throws {
        self.init(tier: try MetastoreTier(deployment: deployment), readOnly: deployment.readOnly)
    }

    public init(tier: MetastoreTier, readOnly: Bool = false) {
        self.tier = tier
        self.readOnly = readOnly
    }

    private var name: String { tier.deploymentName }

    // MARK: Variables

    /// Stores `value` under `key` (`Variable.set` semantics, text as given) and returns the row as stored.
    @discardableResult
    public func setVariable(_ key: String, value: String, description: String? = nil,
                            expecting expectation: MetastoreExpectation) async throws -> MetastoreVariableRow {
        try checkWritable()
        guard !key.isEmpty, key.count <= 250 else {
            throw invalid("variable key must be 1 to 250 characters long")
        }
        let (stored, encrypted) = try encrypt(value)
        let result = try await tier.database.apply(.putVariable(key: key, VariableColumns(val: stored, description: description, isEncrypted: encrypted), expectation))
        guard case .variable(let row?) = result else { throw missingAfterWrite("variable", key) }
        return row
    }

    /// Deletes variable `key`.
    public func deleteVariable(_ key: String, expecting expectation: MetastoreExpectation) async throws {
        try checkWritable()
        _ = try await tier.database.apply(.deleteVariable(key: key, expectation))
    }

    // MARK: Connections

    /// Stores `connection` under `connID` and returns the row as stored. The password and a
    /// non-empty extra are encrypted; an empty password is stored as NULL (as Airflow does).
    @discardableResult
    public func setConnection(_ connID: String, _ connection: Connection,
                              expecting expectation: MetastoreExpectation) async throws -> MetastoreConnectionRow {
        try checkWritable()
        try validate(connID: connID)
        guard connection.verbatim.isEmpty else {
            throw invalid("connection '\(connID)' has fields of unusual types (\(connection.verbatim.keys.sorted().joined(separator: ", "))) that the metastore's columns cannot hold")
        }
        guard let connType = connection.connType, !connType.isEmpty else {
            throw invalid("connection '\(connID)' needs a conn_type")
        }
        if let port = connection.port, port < Int(Int32.min) || port > Int(Int32.max) {
            throw invalid("connection '\(connID)' has a port outside the INTEGER column's range")
        }
        if tier.decoder.airflowVersion == .v3, let failure = ExtraValidation.problem(connection.extra, connID: connID) {
            throw invalid("connection '\(connID)': Airflow 3 would reject it: \(failure.message)")
        }
        var password: String?
        var passwordEncrypted = false
        if let value = connection.password, !value.isEmpty {
            (password, passwordEncrypted) = try encrypt(value)
        }
        var extra = connection.extra
        var extraEncrypted = false
        if let value = connection.extra, !value.isEmpty {
            let (stored, encrypted) = try encrypt(value)
            extra = stored
            extraEncrypted = encrypted
        }
        let columns = ConnectionColumns(connType: connType, description: connection.description, host: connection.host,
                                        schema: connection.schema, login: connection.login, password: password,
                                        port: connection.port, extra: extra, isEncrypted: passwordEncrypted,
                                        isExtraEncrypted: extraEncrypted)
        let result = try await tier.database.apply(.putConnection(connID: connID, columns, expectation))
        guard case .connection(let row?) = result else { throw missingAfterWrite("connection", connID) }
        return row
    }

    /// Deletes connection `connID`.
    public func deleteConnection(_ connID: String, expecting expectation: MetastoreExpectation) async throws {
        try checkWritable()
        _ = try await tier.database.apply(.deleteConnection(connID: connID, expectation))
    }

    // MARK: Rules

    private func checkWritable() throws {
        if readOnly {
            throw MetastoreError(.readOnly, "deployment '\(name)' is read-only; remove `read_only: true` from the workspace file to edit it")
        }
    }

    /// Encrypts with the first key, or stores in clear when the deployment has no key (Airflow's null fernet).
    private func encrypt(_ value: String) throws -> (String, Bool) {
        switch tier.decoder.fernet.state {
        case .none:
            return (value, false)
        case .keys(let ring):
            return (try ring.encrypt(value), true)
        case .indirect, .malformed:
            throw MetastoreError(.configuration, "deployment '\(name)': cannot encrypt: \(tier.decoder.fernet.unavailableReason ?? "no usable Fernet key")")
        }
    }

    /// Airflow's `sanitize_conn_id`: `^[\w#!()\-.:/\\]{1,}$`, at most 250 characters; Airflow 2's
    /// `\w` is ASCII only, Airflow 3's is Unicode.
    private func validate(connID: String) throws {
        let unicode = tier.decoder.airflowVersion == .v3
        let allowed = Set("#!()-.:/\\")
        let valid = !connID.isEmpty && connID.count <= 250 && connID.unicodeScalars.allSatisfy { scalar in
            if scalar == "_" || allowed.contains(Character(scalar)) { return true }
            if scalar.isASCII { return scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) }
            return unicode && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
        guard valid else {
            throw invalid("'\(connID)' is not a valid conn_id: use 1 to 250 letters, digits and _#!()-.:/\\ (Airflow would not store it)")
        }
    }

    private func invalid(_ text: String) -> MetastoreError {
        MetastoreError(.invalidValue, "deployment '\(name)': \(text)")
    }

    private func missingAfterWrite(_ kind: String, _ key: String) -> MetastoreError {
        MetastoreError(.database, "deployment '\(name)': the \(kind) '\(key)' was written but could not be read back")
    }
}
