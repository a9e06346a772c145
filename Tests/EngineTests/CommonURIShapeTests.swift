@testable import Engine
import Testing

/// The first scan of `CommonURIShape` skips eight plain bytes at a time: a refused byte (control,
/// space, beyond ASCII, bracket, `#`) must stop it wherever it sits in a word, and a `://` must be
/// found wherever it falls.
@Suite("CommonURIShape: the word-at-a-time scan")
struct CommonURIShapeTests {
    private func shape(_ bytes: [UInt8]) -> CommonURIShape? {
        bytes.withUnsafeBufferPointer { CommonURIShape($0) }
    }

    @Test func aRefusedByteAnywhereLeavesNoShape() {
        let plain = Array("postgres://user:pw@db.example.com:5432/warehouse?sslmode=require&x=1".utf8)
        #expect(shape(plain) != nil)
        let refused: [UInt8] = Array(0...0x20) + [0x7F, 0x80, 0xC3, 0xFF, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "#")]
        for position in 0..<plain.count {
            for byte in refused {
                var bytes = plain
                bytes[position] = byte
                #expect(shape(bytes) == nil, "byte \(byte) at \(position) was let through")
            }
        }
    }

    @Test func theSchemeSeparatorIsFoundAtEveryOffset() {
        for length in 1...20 {
            let scheme = String(repeating: "a", count: length)
            let found = shape(Array("\(scheme)://host-name-long-enough/x".utf8))
            #expect(found?.schemeEnd == length)
            // A second `://` anywhere makes the URI unusual.
            #expect(shape(Array("\(scheme)://h/\(String(repeating: "b", count: length))://c".utf8)) == nil)
        }
    }
}
