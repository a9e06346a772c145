import Foundation
import Editing
import Engine

/// Writes Parameter Store parameters with PutParameter (Overwrite), keeping an existing
/// parameter's type and KMS key; new parameters get `newParameterType` (SecureString unless
/// told otherwise). Verified by reading the parameter back with decryption.
public struct ParameterStoreWriter: AWSSecretWriter {
    public let source: ParameterStoreTierSource
    public var newParameterType: String

    public init(source: ParameterStoreTierSource, newParameterType: String = "SecureString") {
        self.source = source
        self.newParameterType = newParameterType
    }

    public func lookupName(for key: SecretKey) -> LookupName { source.lookupName(for: key) }

    public func write(_ text: String, for key: SecretKey) async throws -> AWSWriteReceipt {
        let name = try requireName(for: key)
        guard !text.isEmpty else {
            throw TierError("Parameter Store cannot hold an empty value (\(name)); PutParameter requires at least one character.")
        }
        let api = source.api
        do {
            let existing = try await api.describe(name)
            let type = existing?.type ?? newParameterType
            let version = try await api.putParameter(name, value: text, type: type, keyID: existing?.keyID)
            guard let back = try await api.parameter(named: name), back.value == text,
                  version == nil || back.version == version else {
                throw TierError("wrote \(name) but reading it back gave a different value or version; another writer "
                    + "may have changed it at the same time.")
            }
            return AWSWriteReceipt(name: name, version: back.version ?? version ?? "", created: existing == nil,
                                   notes: existing == nil ? ["created as \(type)"] : [])
        } catch let error as AWSServiceError {
            throw TierError("writing \(name) failed: \(error.description)")
        }
    }
}
