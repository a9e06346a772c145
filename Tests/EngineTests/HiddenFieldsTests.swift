import Engine
import Foundation
import PythonCompat
import Testing
import TestSupport

/// Fields a source shows only as Airflow's mask (the REST API's `***`) are not values: they
/// are never compared, so a tier holding them is "cannot tell", never "same" or "differs" on
/// their account.
@Suite("Fields hidden by the source")
struct HiddenFieldsTests {
    static func apiRecord(_ name: String, _ connection: Connection, hidden: [[String]]) -> TierRecord {
        TierRecord(kind: .connection, name: name, suggestedID: name, state: .present(.connection(connection)),
                   metadata: [HiddenFields.metadataKey: HiddenFields(hidden).metadataText])
    }

    @Test func pathsSurviveTheRecordsMetadataWhateverTheKeysHold() {
        let paths = [["password"], ["extra", "a.b", "\u{1F}x,\"y\""], ["extra", "list", "0"]]
        let record = Self.apiRecord("db", Connection(connType: "http"), hidden: paths)
        #expect(record.hiddenFields.paths == paths)
        #expect(record.hiddenFields.names == ["password", "extra.a.b.\u{1F}x,\"y\"", "extra.list.0"])
        #expect(TierRecord(kind: .variable, name: "v", suggestedID: "v", state: .empty).hiddenFields.isEmpty)
    }

    @Test func aHiddenPasswordIsLeftOutOfTheComparison() {
        let shown = Connection(connType: "postgres", host: "db", login: "etl")
        let full = Connection(connType: "postgres", host: "db", login: "etl", password: "anything")
        let hidden = SourceAlteration(hidden: HiddenFields([["password"]]))
        #expect(TierValue.connection(shown).agreement(with: .connection(full), alteration: hidden) == .cannotTell)
        var otherHost = full
        otherHost.host = "elsewhere"
        #expect(TierValue.connection(shown).agreement(with: .connection(otherHost), alteration: hidden) == .differs)
        #expect(TierValue.connection(shown).agreement(with: .connection(full), alteration: .none) == .differs)
    }

    @Test func aHiddenExtraKeyIsLeftOutButTheVisibleKeysCount() {
        let shown = Connection(connType: "http", extra: #"{"token": "***", "region": "eu"}"#)
        let same = Connection(connType: "http", extra: #"{"region":"eu","token":"real"}"#)
        let other = Connection(connType: "http", extra: #"{"region":"us","token":"real"}"#)
        let hidden = SourceAlteration(hidden: HiddenFields([["extra", "token"]]))
        #expect(TierValue.connection(shown).agreement(with: .connection(same), alteration: hidden) == .cannotTell)
        #expect(TierValue.connection(shown).agreement(with: .connection(other), alteration: hidden) == .differs)
    }

    @Test func aReserialisedVariableAgreesUpToFormattingOnly() {
        let alteration = SourceAlteration(reserializedJSON: true)
        let shown = TierValue.variable(#"{"b": 2, "a": [1]}"#)
        #expect(shown.agreement(with: .variable(#"{"b":2,  "a":[1]}"#), alteration: alteration) == .cannotTell)
        #expect(shown.agreement(with: .variable(#"{"b": 2, "a": [1]}"#), alteration: alteration) == .same)
        #expect(shown.agreement(with: .variable(#"{"a": [1], "b": 2}"#), alteration: alteration) == .differs, "key order is kept")
        #expect(TierValue.variable("100000.0").agreement(with: .variable("1e5"), alteration: alteration) == .cannotTell)
        #expect(TierValue.variable("***").agreement(with: .variable("x"), alteration: SourceAlteration(hidden: HiddenFields([["value"]]))) == .cannotTell)
    }

    @Test func theResolverSaysCannotTellAndStillCountsTheTierAsShadowed() async throws {
        let loader = DeploymentLoader(factory: FixedTierFactory([
            InMemoryTier(.env, records: [.connection("AIRFLOW_CONN_DB", Connection(connType: "postgres", host: "db", password: "pw"), id: "db")],
                         naming: InMemoryTier.environmentNaming),
            InMemoryTier(.metastore, records: [Self.apiRecord("db", Connection(connType: "postgres", host: "db"), hidden: [["password"]])]),
        ]))
        let state = await loader.loadAll(Deployment(name: "t"), context: .server)
        let db = state.resolve(SecretKey(.connection, "db"))
        #expect(db.tiers.filter { $0.tier != .backend }.map(\.comparison) == [.winner, .cannotTell])
        #expect(db.shadowed.count == 1)
        #expect(!db.hasDifferences)
        let matrix = TierMatrix(tiers: [.env, .metastore], resolutions: [db])
        #expect(db.tiers.count == 3, "the chain also has the (unconfigured) backend")
        #expect(matrix.rows.first?.cells.map(\.state) == [.winner, .cannotTell])
    }

    @Test func deploymentsCompareAsCannotTellWhenOneHidesAField() async throws {
        func state(_ tier: InMemoryTier) async -> DeploymentState {
            await DeploymentLoader(factory: FixedTierFactory([tier])).loadAll(Deployment(name: "d"), context: .server)
        }
        let api = await state(InMemoryTier(.metastore, records: [Self.apiRecord("db", Connection(connType: "postgres", host: "db"),
                                                                                   hidden: [["password"]])]))
        let database = await state(InMemoryTier(.metastore, records: [.connection("db", Connection(connType: "postgres", host: "db", password: "x"))]))
        let moved = await state(InMemoryTier(.metastore, records: [.connection("db", Connection(connType: "postgres", host: "db2", password: "x"))]))
        let key = SecretKey(.connection, "db")
        let comparison = DeploymentComparison([("prod", [api.resolve(key)]), ("staging", [database.resolve(key)]),
                                               ("dev", [moved.resolve(key)])])
        let cells = try #require(comparison.rows.first?.cells)
        #expect(cells.map(\.state) == [.same, .cannotTell, .differs])
        #expect(cells[2].differingFields == [.host], "the hidden password is not said to differ")
    }
}
