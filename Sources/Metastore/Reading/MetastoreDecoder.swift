import Engine
import Foundation

/// Turns stored rows into what Strata shows and what Airflow would return.
public struct MetastoreDecoder: Sendable {
    public var fernet: FernetSetting
    public var airflowVersion: AirflowVersion

    public init(fernet: FernetSetting, airflowVersion: AirflowVersion) {
        self.fernet = fernet
        self.airflowVersion = airflowVersion
    }

    // MARK: Strata's view

    /// The tier record for a variable row. An undecryptable value is `unreadable`, never the ciphertext.
    public func record(for row: MetastoreVariableRow) -> TierRecord {
        var metadata = baseMetadata(id: row.id, description: row.description, team: row.teamName)
        metadata["is_encrypted"] = row.isEncrypted ? "true" : "false"
        let state: EntryState
        var raw: String?
        switch field(row.val, encrypted: row.isEncrypted) {
        case .clear(let text):
            state = text.isEmpty ? .empty : .present(.variable(text))
            raw = text
        case .decrypted(let text, let index):
            metadata["encrypted_with"] = String(index)
            state = text.isEmpty ? .empty : .present(.variable(text))
            raw = text
        case .absent:
            state = .unreadable(reason: "the row has no value (val is NULL)")
        case .failed(let reason, _):
            let consequence: String
            if case .none = fernet.state {
                consequence = "Airflow would return the ciphertext itself as the value"
            } else {
                consequence = "Airflow logs an error and treats the variable as missing"
            }
            state = .unreadable(reason: "\(reason); \(consequence)")
        }
        return TierRecord(kind: .variable, name: row.key, suggestedID: row.key, state: state, rawText: raw, metadata: metadata)
    }

    /// The tier record for a connection row.
    public func record(for row: MetastoreConnectionRow) -> TierRecord {
        var metadata = baseMetadata(id: row.id, description: row.description, team: row.teamName)
        metadata["is_encrypted"] = row.isEncrypted ? "true" : "false"
        metadata["is_extra_encrypted"] = row.isExtraEncrypted ? "true" : "false"
        var problems: [String] = []
        let password = field(row.password, encrypted: row.isEncrypted)
        let extra = field(row.extra.flatMap { $0.isEmpty ? nil : $0 }, encrypted: row.isExtraEncrypted)
        if case .decrypted(_, let index) = password { metadata["password_encrypted_with"] = String(index) }
        if case .decrypted(_, let index) = extra { metadata["extra_encrypted_with"] = String(index) }
        metadata["encrypted_with"] = metadata["password_encrypted_with"] ?? metadata["extra_encrypted_with"]
        if case .failed(let reason, _) = password { problems.append("password: \(reason)") }
        if case .failed(let reason, _) = extra { problems.append("extra: \(reason)") }
        if !problems.isEmpty {
            let state = EntryState.unreadable(reason: problems.joined(separator: "; ") + "; Airflow reports the connection as not defined")
            return TierRecord(kind: .connection, name: row.connID, suggestedID: row.connID, state: state, metadata: metadata)
        }
        let connection = Connection(connType: row.connType, host: row.host, login: row.login, password: password.text,
                                    schema: row.schema, port: row.port, extra: row.extra == "" ? "" : extra.text,
                                    description: row.description)
        if let failure = ExtraValidation.problem(connection.extra, connID: row.connID) {
            if airflowVersion == .v3 {
                let state = EntryState.unreadable(reason: "extra is not a JSON object (\(failure.message.prefix { $0 != "." })); Airflow 3 rejects the connection")
                return TierRecord(kind: .connection, name: row.connID, suggestedID: row.connID, state: state, metadata: metadata)
            }
            metadata["warning"] = "extra is not a JSON object: Airflow 2 only warns, Airflow 3 rejects the connection"
        }
        return TierRecord(kind: .connection, name: row.connID, suggestedID: row.connID,
                          state: .present(.connection(connection)), metadata: metadata)
    }

    // MARK: Airflow's view

    /// What `Variable.get(key)` returns for this row.
    public func airflowAnswer(for row: MetastoreVariableRow) -> AirflowVariableAnswer {
        guard let val = row.val else { return .missing }
        guard row.isEncrypted else { return .value(val) }
        switch fernet.state {
        case .none:
            return .value(val) // the null fernet "decrypts" by returning its input
        case .keys(let ring):
            guard let text = try? ring.decryptText(val).text else { return .missing }
            return .value(text)
        case .indirect, .malformed:
            return .missing
        }
    }

    /// What Airflow's metastore lookup returns for this row.
    public func airflowAnswer(for row: MetastoreConnectionRow) -> AirflowConnectionAnswer {
        var password = row.password
        if let stored = row.password, row.isEncrypted {
            switch airflowDecrypt(stored, what: .password, login: row.login) {
            case .success(let text): password = text
            case .failure(let failure): return .failed(failure)
            }
        }
        var extra = row.extra
        if let stored = row.extra, !stored.isEmpty, row.isExtraEncrypted {
            switch airflowDecrypt(stored, what: .extra, login: row.login) {
            case .success(let text): extra = text
            case .failure(let failure): return .failed(failure)
            }
        }
        if airflowVersion == .v3, let failure = ExtraValidation.problem(extra, connID: row.connID) {
            return .failed(failure)
        }
        return .connection(Connection(connType: row.connType, host: row.host, login: row.login, password: password,
                                      schema: row.schema, port: row.port, extra: extra, description: row.description))
    }

    private enum Secret { case password, extra }

    private func airflowDecrypt(_ token: String, what: Secret, login: String?) -> Result<String, AirflowFailure> {
        switch fernet.state {
        case .keys(let ring):
            do {
                return .success(try ring.decryptText(token).text)
            } catch FernetDecryptionError.notUTF8 {
                return .failure(AirflowFailure(errorClass: "UnicodeDecodeError", message: "'utf-8' codec can't decode the decrypted value"))
            } catch {
                return .failure(AirflowFailure(errorClass: "InvalidToken", message: ""))
            }
        case .malformed(let error):
            return .failure(AirflowFailure(errorClass: "AirflowException", message: "Could not create Fernet object: \(error)"))
        case .none, .indirect:
            let login = login ?? "None"
            switch (airflowVersion, what) {
            case (.v3, .password):
                return .failure(AirflowFailure(errorClass: "ValueError", message: "Can't decrypt encrypted password, FERNET_KEY configuration is missing"))
            case (.v3, .extra):
                return .failure(AirflowFailure(errorClass: "ValueError", message: "Can't decrypt `extra` params, FERNET_KEY configuration is missing"))
            case (.v2, .password):
                return .failure(AirflowFailure(errorClass: "AirflowException", message: "Can't decrypt encrypted password for login=\(login)  FERNET_KEY configuration is missing"))
            case (.v2, .extra):
                return .failure(AirflowFailure(errorClass: "AirflowException", message: "Can't decrypt `extra` params for login=\(login), FERNET_KEY configuration is missing"))
            }
        }
    }

    // MARK: Fields

    enum Field {
        case absent
        case clear(String)
        case decrypted(String, keyIndex: Int)
        case failed(reason: String, FernetDecryptionError?)

        var text: String? {
            switch self {
            case .clear(let t), .decrypted(let t, _): return t
            case .absent, .failed: return nil
            }
        }
    }

    func field(_ stored: String?, encrypted: Bool) -> Field {
        guard let stored else { return .absent }
        guard encrypted else { return .clear(stored) }
        if let reason = fernet.unavailableReason {
            return .failed(reason: "encrypted, but \(reason)", nil)
        }
        do {
            let (text, index) = try fernet.ring!.decryptText(stored)
            return .decrypted(text, keyIndex: index)
        } catch let error as FernetDecryptionError {
            return .failed(reason: error.description, error)
        } catch {
            return .failed(reason: "no Fernet key decrypts this value", nil)
        }
    }

    private func baseMetadata(id: Int64, description: String?, team: String?) -> [String: String] {
        var metadata = ["row_id": String(id)]
        if let description { metadata["description"] = description }
        if let team { metadata["team_name"] = team }
        return metadata
    }
}
