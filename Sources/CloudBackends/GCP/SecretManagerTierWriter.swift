import Foundation
import Editing
import Engine
import RemoteSupport

/// The guarded writer of a Google Cloud Secret Manager tier. A value is a new version of the
/// secret Airflow reads (created first when absent). Secret Manager has no conditional
/// `addVersion`, but numbers versions one by one: Strata compares what `latest` holds just
/// before writing and checks that its version is exactly the next number and still `latest`
/// afterwards, so a concurrent write is reported as a conflict. Deletes remove the secret
/// with all its versions (Secret Manager cannot undo that).
public struct SecretManagerTierWriter: SourceBackedTierWriter {
    public let source: SecretManagerTierSource

    public init(source: SecretManagerTierSource) {
        self.source = source
    }

    public var connectionForms: [ConnectionForm] { [.uri, .json] }
    public var writesInParallel: Bool { true }

    public func read(_ key: SecretKey) async throws -> EntryState {
        try await readAsLookedUp(key) { name in
            do {
                return try await current(key, name: name, project: try await source.resolveProject()).state
            } catch {
                throw error.asCloudEditError("reading \(name) from \(descriptor.label)")
            }
        }
    }

    public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
        let key = change.key
        let name = try requireName(for: change)
        do {
            let project = try await source.resolveProject()
            let client = source.client
            let location = "projects/\(project)/secrets/\(name)"
            let before = try await current(key, name: name, project: project)
            try checkUnchanged(before.state, base: base, name: name)
            switch change.action {
            case .delete:
                // No conditional delete on versions: a version added between the read above
                // and this call goes with the secret.
                do {
                    try await client.deleteSecret(project: project, secretID: name)
                } catch let failure as CloudFailure where failure.kind == .notFound {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was deleted by someone else since Strata read it.")
                }
                try checkStored(try await current(key, name: name, project: project).state, after: change, name: name)
                return WriteReceipt(name: name, location: location, version: before.version.map(String.init),
                                    notes: ["Secret Manager deleted the secret with all its versions; it cannot be restored"])
            case .set:
                let stored = try StoredSecretText.make(for: change, dialect: source.dialect, name: name, label: descriptor.label)
                if before.state == .absent {
                    // Someone else creating it first is fine: the version check below tells.
                    _ = try await client.createSecretIfAbsent(project: project, secretID: name)
                }
                let data = Array(stored.text.utf8)
                let versionName = try await client.addVersion(project: project, secretID: name, data: data)
                let written = versionName.split(separator: "/").last.flatMap { Int($0) }
                // The next number after the version read; a secret Airflow finds absent has none yet.
                let expected = before.version.map { $0 + 1 } ?? (before.state == .absent ? 1 : nil)
                if let written, let expected, written != expected {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else while Strata wrote it: "
                                    + "Strata's value is version \(written), after version(s) \(expected)…\(written - 1) from another "
                                    + "writer. Compare the versions in Secret Manager and keep the right one.")
                }
                let after = try await current(key, name: name, project: project)
                if let written, let now = after.version, now != written {
                    throw EditError(.conflict, "\(name) in \(descriptor.label) was changed by someone else right after Strata's write "
                                    + "(latest is now version \(now), Strata wrote \(written)).", remedy: .checkWhichValueStays)
                }
                try checkStored(after.state, after: stored.expected, name: name)
                return WriteReceipt(name: name, location: location, version: written.map(String.init) ?? after.version.map(String.init),
                                    created: before.state == .absent, notes: stored.notes)
            }
        } catch {
            throw error.asCloudEditError("writing \(name) to \(descriptor.label)")
        }
    }

    struct Current {
        var state: EntryState
        var version: Int?
    }

    /// The `latest` version now, parsed as the tier parses it.
    func current(_ key: SecretKey, name: String, project: String) async throws -> Current {
        do {
            let accessed = try await source.client.accessLatest(project: project, secretID: name)
            let version = Int(accessed.versionNumber)
            guard let text = String(validating: accessed.data, as: UTF8.self) else {
                return Current(state: .unreadable(reason: "the latest version is not UTF-8 text; Airflow's decode fails and it moves on to the next tier"),
                               version: version)
            }
            return Current(state: StoredSecret.state(kind: key.kind, text: text, dialect: source.dialect), version: version)
        } catch let failure as CloudFailure where failure.kind == .notFound {
            return Current(state: .absent)
        } catch let failure as CloudFailure where !failure.isTierWide {
            return Current(state: .unreadable(reason: SecretManagerTierSource.fallThroughNote(failure)))
        }
    }
}
