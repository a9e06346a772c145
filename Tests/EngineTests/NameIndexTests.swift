@testable import Engine
import Testing

@Suite("NameIndex: the resolver's name table")
struct NameIndexTests {
    @Test func findsEveryInsertedNameByKindAndKeepsInsertionOrder() {
        var index = NameIndex()
        for i in 0..<5_000 {
            #expect(index.insert("name_\(i)", kind: .variable) == (i * 2, true))
            #expect(index.insert("name_\(i)", kind: .connection) == (i * 2 + 1, true))
        }
        #expect(index.count == 10_000)
        for i in stride(from: 0, to: 5_000, by: 7) {
            #expect(index.position(of: "name_\(i)", kind: .variable) == i * 2)
            #expect(index.position(of: "name_\(i)", kind: .connection) == i * 2 + 1)
        }
        #expect(index.position(of: "name_5000", kind: .variable) == nil)
        #expect(index.names[42] == "name_21")
        #expect(index.kinds[43] == .connection)
    }

    @Test func insertingAnExistingNameReturnsItsPosition() {
        var index = NameIndex(capacity: 2)
        #expect(index.insert("a_rather_long_connection_identifier", kind: .connection) == (0, true))
        #expect(index.insert("b", kind: .connection) == (1, true))
        #expect(index.insert("a_rather_long_connection_identifier", kind: .connection) == (0, false))
        #expect(index.count == 2)
    }

    /// Python compares strings code point by code point, so Airflow keeps `café` (one code
    /// point for é) and `cafe` + U+0301 apart, although Swift's `==` calls them equal.
    @Test func canonicallyEquivalentSpellingsAreDifferentNamesAsInPython() {
        var index = NameIndex()
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed) // Swift's view, which the index must not take
        #expect(index.insert(composed, kind: .variable).inserted)
        #expect(index.insert(decomposed, kind: .variable).inserted)
        #expect(index.position(of: composed, kind: .variable) == 0)
        #expect(index.position(of: decomposed, kind: .variable) == 1)
        #expect(!NameIndex.sameCodePoints(composed, decomposed))
        #expect(NameIndex.sameCodePoints("AIRFLOW_VAR_\u{1F600}", "AIRFLOW_VAR_\u{1F600}"))
        #expect(!NameIndex.sameCodePoints("", "a"))
        #expect(NameIndex.sameCodePoints("", ""))
    }

    @Test func namesDifferingOnlyInTheirLastBytesOrLengthAreDistinct() {
        var index = NameIndex()
        let names = ["", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh\u{0}", "abcdefgi", "abcdefghabcdefgh", "abcdefghabcdefgj"]
        for (i, name) in names.enumerated() { #expect(index.insert(name, kind: .variable) == (i, true)) }
        for (i, name) in names.enumerated() { #expect(index.position(of: name, kind: .variable) == i) }
    }
}

@Suite("SecretKey compares ids as Python does")
struct SecretKeyEqualityTests {
    @Test func canonicallyEquivalentIdsAreDifferentKeys() {
        let composed = SecretKey.variable("caf\u{E9}")
        let decomposed = SecretKey.variable("cafe\u{301}")
        #expect(composed != decomposed)
        #expect(Set([composed, decomposed]).count == 2)
        #expect(composed == SecretKey.variable("caf\u{E9}"))
        #expect(Set([composed, SecretKey.variable("caf\u{E9}")]).count == 1)
        #expect(SecretKey.variable("a") != SecretKey.connection("a"))
        let dictionary = [composed: 1, decomposed: 2]
        #expect(dictionary[SecretKey.variable("cafe\u{301}")] == 2)
    }
}
