import Engine
import Foundation

/// A secrets file as an edit starts from it: its bytes, what the tier loads from them, and the
/// text to edit — the bytes read on both sides of the load, so the text edited is the text checked.
struct FileEditStart {
    /// The bytes read; nil when the file does not exist yet.
    var original: Data?
    /// What the tier loaded from them; nil when the file does not exist yet.
    var snapshot: TierSnapshot?
    /// The bytes as UTF-8 text ("" for a new file).
    var text: String

    /// Reads `file` and loads it with `load`. Throws `EditError(.conflict)` when the file changes
    /// during the load, and `EditError(.failed)` when it is not UTF-8.
    static func read(_ file: URL, load: (URL) async throws -> TierSnapshot) async throws -> FileEditStart {
        let original = try AtomicFile.read(file)
        let snapshot = original == nil ? nil : try await load(file)
        guard try AtomicFile.read(file) == original else {
            throw EditError(.conflict, "\(file.path) changed while Strata was reading it; nothing was written.", remedy: .editAgainOnCurrentValue)
        }
        var text = ""
        if let original {
            guard let decoded = String(data: original, encoding: .utf8) else {
                throw EditError(.failed, "\(file.path) is not UTF-8 text; Strata only edits UTF-8 files")
            }
            text = decoded
        }
        return FileEditStart(original: original, snapshot: snapshot, text: text)
    }

    /// The state of `name` in what was loaded.
    func state(of kind: SecretKind, _ name: String) throws -> EntryState {
        try snapshot.map { try LocalFilesWriter.state(in: $0, kind: kind, name: name) } ?? .absent
    }
}
