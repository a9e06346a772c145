import Editing
import Engine
import Foundation

/// A tier held in memory that can be both loaded and written, for tests of the editing flow.
/// It implements the Engine's own protocols; it stands in for no external service. Tests
/// change it behind the writer's back with `replace` to make conflicts.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class InMemoryTierStore: @unchecked Sendable {
    public let descriptor: TierDescriptor
    public let connectionForms: [ConnectionForm]
    private let naming: @Sendable (SecretKey) -> LookupName
    private let lock = NSLock()
    private var records: [String: TierRecord] = [:]
    /// Every change applied through the writer, in order (names only).
    public private(set) var appliedNames: [String] = []
    /// The names of changes whose caller said it verifies them itself (`TierChange.Verification.byCaller`).
    public private(set) var namesVerifiedByCaller: [String] = []

    public init(_ tier: TierID, label: String? = nil, records: [TierRecord] = [],
                connectionForms: [ConnectionForm] = [.uri, .json],
                naming: @escaping @Sendable (SecretKey) -> LookupName = { .name($0.id) }) {
        self.descriptor = TierDescriptor(tier: tier, label: label ?? tier.rawValue)
        self.connectionForms = connectionForms
        self.naming = naming
        for record in records { self.records[Self.slot(record.kind, record.name)] = record }
    }

    static func slot(_ kind: SecretKind, _ name: String) -> String { "\(kind.rawValue):\(name)" }

    /// The record stored under `name`, if any.
    public func record(_ kind: SecretKind, named name: String) -> TierRecord? {
        lock.lock(); defer { lock.unlock() }
        return records[Self.slot(kind, name)]
    }

    /// Replaces (or with nil removes) a stored record, as another user would.
    public func replace(_ kind: SecretKind, named name: String, with record: TierRecord?) {
        lock.lock(); defer { lock.unlock() }
        records[Self.slot(kind, name)] = record
    }

    /// The tier as a source, for the loader.
    public var source: Source { Source(store: self) }
    /// The tier's writer.
    public var writer: Writer { Writer(store: self) }

    public struct Source: TierSource {
        let store: InMemoryTierStore
        public var descriptor: TierDescriptor { store.descriptor }
        public func lookupName(for key: SecretKey) -> LookupName { store.naming(key) }
        public func load() async throws -> TierSnapshot {
            store.lock.withLock { TierSnapshot(records: store.records.values.sorted { $0.name < $1.name }) }
        }
    }

    public struct Writer: TierWriter {
        let store: InMemoryTierStore
        public var descriptor: TierDescriptor { store.descriptor }
        public var connectionForms: [ConnectionForm] { store.connectionForms }
        public var keepsVariableDescriptions: Bool { true }
        public func lookupName(for key: SecretKey) -> LookupName { store.naming(key) }

        public func read(_ key: SecretKey) async throws -> EntryState {
            let name = try requireName(for: key)
            return store.record(key.kind, named: name)?.state ?? .absent
        }

        public func apply(_ change: TierChange, expecting base: EntryState) async throws -> WriteReceipt {
            let name = try requireName(for: change.key)
            try checkUnchanged(try await read(change.key), base: base, name: name)
            let existed = store.record(change.key.kind, named: name) != nil
            switch change.action {
            case .delete:
                store.replace(change.key.kind, named: name, with: nil)
            case .set(let value, _):
                let state: EntryState = value.tierValue.isEmptyValue ? .empty : .present(value.tierValue)
                var metadata: [String: String] = [:]
                if case .variable(_, let description?) = value { metadata["description"] = description }
                store.replace(change.key.kind, named: name,
                              with: TierRecord(kind: change.key.kind, name: name, suggestedID: change.key.id,
                                               state: state, metadata: metadata))
            }
            store.lock.withLock {
                store.appliedNames.append(name)
                if change.verification == .byCaller { store.namesVerifiedByCaller.append(name) }
            }
            try checkStored(try await read(change.key), after: change, name: name)
            return WriteReceipt(name: name, location: descriptor.label, created: !existed && change.newValue != nil)
        }
    }
}

/// A writer factory over fixed slots, for tests of the editing flow.
public struct FixedTierWriterFactory: TierWriterFactory {
    public let slots: [TierWriterSlot]
    public init(_ writers: [any TierWriter]) { self.slots = writers.map(TierWriterSlot.init(writer:)) }
    public init(slots: [TierWriterSlot]) { self.slots = slots }
    public func makeWriters(for deployment: Deployment, context: LookupContext) -> [TierWriterSlot] { slots }
}
