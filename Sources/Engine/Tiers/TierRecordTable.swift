/// Many records of one tier held as rows over shared storage (a file's text and the offsets
/// of each entry in it), each record built only when one of its fields is read.
///
/// A tier reading a large file hands out `TierRecord(table:row:)`s: sixteen bytes each, where
/// a record with a box and strings of its own costs a few hundred. Reading is deterministic —
/// the materializer gives the same record every time — so a row record behaves exactly like
/// the boxed record it stands for (equality and hashing compare the fields).
public final class TierRecordTable: Sendable {
    /// How many rows there are.
    public let count: Int
    private let materializeRow: @Sendable (Int) -> TierRecord
    private let nameOfRow: @Sendable (Int) -> String
    private let kindOfRow: @Sendable (Int) -> SecretKind

    /// A table of `count` rows. `materialize` builds row `i`'s record (with the boxed
    /// initialisers); `name` and `kind` read those two fields without building the rest, and
    /// must agree with it.
    public init(count: Int, materialize: @escaping @Sendable (Int) -> TierRecord,
                name: @escaping @Sendable (Int) -> String, kind: @escaping @Sendable (Int) -> SecretKind) {
        precondition(count >= 0 && count <= Int(UInt32.max), "a table's rows are numbered in 32 bits")
        self.count = count
        materializeRow = materialize
        nameOfRow = name
        kindOfRow = kind
    }

    /// The records of every row, in row order.
    public var records: [TierRecord] {
        (0..<count).map { TierRecord(table: self, row: $0) }
    }

    func materialize(_ row: Int) -> TierRecord { materializeRow(row) }
    func name(_ row: Int) -> String { nameOfRow(row) }
    func kind(_ row: Int) -> SecretKind { kindOfRow(row) }

    /// Stands in while a record's box is checked for uniqueness; never read.
    static let placeholder = TierRecordTable(count: 0, materialize: { _ in preconditionFailure("placeholder") },
                                             name: { _ in "" }, kind: { _ in .variable })
}
