@testable import Engine
import Testing

/// A record's file/line metadata is held in a compact form, which must read back exactly as
/// the pairs it was given; anything else keeps the pairs as given.
@Suite("Tier record metadata")
struct TierRecordMetadataTests {
    @Test func fileLineAndSourceReadBackAsGiven() {
        let pairs = [("file", "/p/.env"), ("line", "12"), ("source", "env file")]
        let record = TierRecord(kind: .variable, name: "A", suggestedID: "a", state: .empty, metadataPairs: pairs)
        #expect(record.metadata == ["file": "/p/.env", "line": "12", "source": "env file"])
        #expect(record.metadataValue(forKey: "line") == "12")
        #expect(record.metadataValue(forKey: "source") == "env file")
        #expect(record.metadataValue(forKey: "other") == nil)
        let plain = TierRecord(kind: .variable, name: "A", suggestedID: "a", state: .empty, file: "/p/v.yaml", line: 3)
        #expect(plain.metadata == ["file": "/p/v.yaml", "line": "3"])
        #expect(plain.metadataValue(forKey: "source") == nil)
        #expect(plain == TierRecord(kind: .variable, name: "A", suggestedID: "a", state: .empty,
                                    metadataPairs: [("file", "/p/v.yaml"), ("line", "3")]))
    }

    @Test func unusualPairsAreKeptAsGiven() {
        for pairs in [[("file", "/p"), ("line", "007")], [("file", "/p"), ("line", "x")],
                      [("file", "/p"), ("line", "1"), ("source", "workspace env")], [("line", "1"), ("file", "/p")]] {
            let record = TierRecord(kind: .variable, name: "A", suggestedID: "a", state: .empty, metadataPairs: pairs)
            #expect(record.metadata == Dictionary(pairs, uniquingKeysWith: { _, last in last }))
            for (key, value) in pairs { #expect(record.metadataValue(forKey: key) == value) }
        }
    }
}
