@testable import StrataCLI
import Testing

/// Column widths in CLI tables: ASCII text is counted by bytes (the quick path), and must give
/// exactly what the per-character rule gives; other text goes through that rule.
@Suite("CLI table display widths")
struct TextTableWidthTests {
    @Test func everyASCIICharacterIsOneColumnByEitherRule() {
        let ascii = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self)
        #expect(DisplayWidth.of(ascii) == 128)
        #expect(ascii.unicodeScalars.reduce(0) { $0 + DisplayWidth.width($1) } == 128)
        #expect(DisplayWidth.of("AIRFLOW_VAR_BENCH_VARIABLE_1") == 28)
    }

    @Test func wideAndZeroWidthCharactersAreCountedByTheRule() {
        #expect(DisplayWidth.of("a日本") == 5)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("x\u{200B}y") == 2)
        #expect(DisplayWidth.of("🙂ok") == 4)
    }
}
