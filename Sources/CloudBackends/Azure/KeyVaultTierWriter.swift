import Foundation
import Editing
import Engine
import RemoteSupport

/// The guarded writer of an Azure Key Vault tier. Key Vault's Set Secret has no conditional
/// form: Strata compares the current version just before writing and checks afterwards that
/// its new version is still the current one, reporting a concurrent write as a conflict.
/// Deletes are Key Vault's soft delete: the secret stays recoverable for the vault's
/// retention period.
public struct KeyVaultTierWriter: SourceBackedTierWriter {
    public let source: KeyVaultTierSource

    public init(source: KeyVaultTierSource) {
        self.source = source
    }

    public var connectionForms: [ConnectionForm] { [.uri, .json] }
    public var writesInParallel: Bool { true }

    public func read(_ key: SecretKey) async throws -> EntryState {
        try await readAsLookedUp(key) { name in
            do {
                return try await current(key, name: name).state
            } catch {
                throw error.asCloudEditError("reading \(name) from \(descriptor.label)")
            }
        }
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        let client = source.client
        let location = client.vaultURL.absoluteString + "/secrets/" + name
        do {
            let before = try await current(key, name: name)
            try checkUnchanged(before.state, base: base, name: name)
            switch change.action {
            case .delete:
                // Key Vault's delete is unconditional: a version set between the read above and
                // this call is deleted with the rest (and recoverable like it).
                let deleted: KeyVaultClient.DeletedSecret
                do {
                    deleted = try await client.deleteSecret(name)
                } catch let failure as CloudFailure where failure.kind == .notFound {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it.")
                }
                try checkStored(try await current(key, name: name).state, after: change, name: name)
                return WriteReceipt(name: name, location: location, version: before.version, notes: [Self.deletionNote(deleted)])
            case .set:
                let stored = try StoredSecretText.make(for: change, dialect: source.dialect, name: name, label: descriptor.label)
                // No conditional set exists: a write landing between the read above and this
                // call is replaced, and the version check below cannot see it (Key Vault
                // version ids are not ordered). Writes after it are caught below.
                let written = try await client.setSecretGuarded(name, value: stored.text)
                let after = try await current(key, name: name)
                if let version = written.version, let now = after.version, now != version {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else right after Strata's write; "
                                    + "Strata's version is no longer the current one.", remedy: .checkWhichValueStays)
                }
                try checkStored(after.state, after: stored.expected, name: name)
                return WriteReceipt(name: name, location: location, version: written.version ?? after.version,
                                    created: before.state == .absent, notes: stored.notes)
            }
        } catch {
            throw error.asCloudEditError("writing \(name) to \(descriptor.label)")
        }
    }

    /// What became of a deleted secret: recoverable until its purge date (soft delete), or gone.
    static func deletionNote(_ deleted: KeyVaultClient.DeletedSecret) -> String {
        guard let id = deleted.recoveryID else {
            return "deleted for good: this vault keeps no deleted secrets (soft-delete is off)"
        }
        let until = deleted.scheduledPurgeDate.map { " until \($0.formatted(.iso8601.year().month().day()))" } ?? ""
        return "soft-deleted: recoverable\(until) with `az keyvault secret recover --id \(id)`; the name cannot be "
            + "written again until it is recovered or purged (`az keyvault secret purge --id \(id)`)"
    }

    struct Current {
        var state: EntryState
        var version: String?
    }

    /// The current version now, parsed as the tier parses it.
    func current(_ key: SecretKey, name: String) async throws -> Current {
        do {
            let bundle = try await source.client.getSecret(name)
            return Current(state: StoredSecret.state(kind: key.kind, text: bundle.value ?? "", dialect: source.dialect),
                           version: bundle.version)
        } catch let failure as CloudFailure where failure.kind == .notFound {
            return Current(state: .absent)
        } catch let failure as CloudFailure where failure.kind == .disabled {
            return Current(state: .unreadable(reason: "the secret is disabled in the vault; Airflow's read fails "
                                              + "(Forbidden) and it moves on to the next tier"))
        } catch let failure as CloudFailure where !failure.isTierWide {
            return Current(state: .unreadable(reason: failure.message + " Airflow's lookup raises, logs it and moves on to the next tier."))
        }
    }
}
