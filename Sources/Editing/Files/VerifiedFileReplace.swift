import Foundation
import Engine

/// The last step of every file tier's edit: the file is replaced atomically, but only after the
/// new text — loaded by the tier itself from the temp file — holds what the change meant and
/// every other entry reads back as before.
enum VerifiedFileReplace {
    /// Replaces `file` with `text`; returns the change as the tier will read it back (a
    /// connection as the fields it stores), for the caller's final read-back check.
    static func replace(_ file: URL, with text: String, expecting original: Data?, change: TierChange, name: String,
                        before: TierSnapshot?, load: (URL) async throws -> TierSnapshot,
                        meant: (EntryState) throws -> Void) async throws -> TierChange {
        var stored: EntryState = .absent
        try await AtomicFile.replace(file, with: Data(text.utf8), expecting: original) { temp in
            let after = try await load(temp)
            stored = try LocalFilesWriter.state(in: after, kind: change.key.kind, name: name)
            try LocalFilesWriter.checkOthersUnchanged(before?.records ?? [], after.records, except: name, file: file)
            try meant(stored)
        }
        if case .present(let value) = stored, change.newValue != nil {
            return .set(change.key, value.asEditValue, form: .fields)
        }
        return change
    }
}
