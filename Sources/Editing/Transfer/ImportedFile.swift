import Engine

/// What an imported file holds, read as Airflow's import reads it.
public struct ImportedFile: Sendable, Equatable {
    /// The format the file was read in.
    public var format: TransferFormat
    /// The values, in file order (`origin` is the file's name), and the entries that cannot be
    /// imported, each with a reason that never holds a value.
    public var items: CopyItems
    /// Entries read differently from Airflow's own import, and why (never a value).
    public var notes: [CopyProblem]

    public init(format: TransferFormat, items: CopyItems, notes: [CopyProblem] = []) {
        self.format = format
        self.items = items
        self.notes = notes
    }
}
