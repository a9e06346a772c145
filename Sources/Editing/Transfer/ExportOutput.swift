import Engine
import Foundation

/// What an export produced: the file's bytes, which keys it holds, and what was left out or
/// changed, each with a reason that never holds a value.
public struct ExportOutput: Sendable, Equatable {
    /// The file's content (UTF-8).
    public var data: Data
    /// The keys the file holds, in file order; Airflow's import gives each back exactly as
    /// the source held it (but for what `notes` says).
    public var written: [SecretKey]
    /// Keys left out: the source could not read them, or the format cannot hold them exactly.
    public var skipped: [CopyProblem]
    /// Keys written with a loss the format forces (a description `.env` has no place for, an
    /// empty password Airflow stores as none).
    public var notes: [CopyProblem]

    public init(data: Data, written: [SecretKey], skipped: [CopyProblem], notes: [CopyProblem]) {
        self.data = data
        self.written = written
        self.skipped = skipped
        self.notes = notes
    }
}
