@testable import Engine
import XCTest
@testable import ViewModel

/// Frame snapshots of the comparison overlay (text plus style layer).
final class CompareSnapshotTests: XCTestCase {
    func testTierMatrixOfTheSampleDeployment() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"))
        let text = harness.frame.textLines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Compare tiers · local"))
        XCTAssertTrue(text.contains("filter: all"))
        assertSnapshot(harness.frame, named: "compare-tiers")
    }

    func testTheTitleNamesTheActiveFilter() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .char("p"))
        XCTAssertTrue(harness.frame.textLines[0].contains("filter: problems"))
        assertSnapshot(harness.frame, named: "compare-tiers-problems")
    }

    func testEveryCellStateHasASymbolWordAndRole() async {
        let harness = Sample.harness()
        await harness.start()
        harness.state.compare = CompareView(.tiers(TierMatrix(tiers: [.backend, .env, .metastore], resolutions: Self.everyState)))
        let frame = harness.frame
        let text = frame.textLines.joined(separator: "\n")
        for state in TierMatrix.CellState.allCases {
            XCTAssertTrue(text.contains(state.symbol + " " + state.word), "a cell shows \(state.rawValue)")
        }
        assertSnapshot(frame, named: "compare-every-state")
    }

    /// In the mono theme roles carry no colour, so every cell must be readable from its text.
    func testMonoThemeReadsFromSymbolsAlone() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char(":"))
        await harness.type("theme mono")
        await harness.press(.enter)
        XCTAssertEqual(harness.state.themeName, "mono")
        harness.state.compare = CompareView(.tiers(TierMatrix(tiers: [.backend, .env, .metastore], resolutions: Self.everyState)))
        let frame = harness.frame
        guard case .tiers(let matrix) = harness.state.compare!.content else { return XCTFail() }
        for (index, row) in matrix.rows.enumerated() {
            let line = frame.textLines[2 + index]
            var rest = Substring(line)
            for cell in row.cells {
                guard let range = rest.range(of: cell.state.symbol + " " + cell.state.word) else {
                    return XCTFail("row \(row.key) reads \(cell.state.rawValue) for \(cell.tier) from its text: \(line)")
                }
                rest = rest[range.upperBound...]
            }
        }
        let mono = BuiltinThemes.mono
        XCTAssertNotEqual(mono.style(for: .selection), mono.style(for: .text), "the cursor row shows without colour")
        assertSnapshot(frame, named: "compare-mono")
    }

    func testFieldViewShowsAPasswordDifferenceByFingerprintOnly() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .enter)
        let text = harness.frame.textLines.joined(separator: "\n")
        XCTAssertFalse(text.contains(Sample.backendPassword), "the password is never shown masked")
        XCTAssertFalse(text.contains("env-pw"))
        XCTAssertFalse(text.contains("tok-123"), "sensitive extra keys are fingerprints too")
        let backendFingerprint = String(SecretFingerprint.of(Sample.backendPassword).prefix(5)) + "…"
        let envFingerprint = String(SecretFingerprint.of("env-pw").prefix(5)) + "…"
        let passwordLine = harness.frame.textLines.first { $0.contains("password") && $0.contains("≠") }
        XCTAssertNotNil(passwordLine)
        XCTAssertTrue(passwordLine?.contains("backend \(backendFingerprint) vs env \(envFingerprint)") == true)
        XCTAssertTrue(text.contains("host"), "non-secret fields show their values")
        XCTAssertTrue(text.contains("db.internal") && text.contains("localhost"))
        // Fingerprints change with the process's hash seed, so the snapshot masks them.
        assertSnapshot(Self.maskingFingerprints(harness.frame), named: "compare-fields-masked")
    }

    func testXRevealsSecretFieldsInTheFieldView() async {
        let harness = Sample.harness()
        await harness.start()
        await harness.press(.char("c"), .enter, .char("x"))
        XCTAssertTrue(harness.frame.textLines.joined().contains(Sample.backendPassword))
        await harness.press(.char("x"))
        XCTAssertFalse(harness.frame.textLines.joined().contains(Sample.backendPassword), "x masks again")
        await harness.press(.char("x"), .escape, .enter)
        XCTAssertFalse(harness.frame.textLines.joined().contains(Sample.backendPassword), "leaving the field view masks again")
    }

    // MARK: - Helpers

    /// Rows covering every cell state, built directly since no one deployment shows them all.
    static var everyState: [Resolution] {
        func tier(_ id: TierID, _ state: ResolvedState, _ comparison: TierResolution.Comparison = .none) -> TierResolution {
            TierResolution(tier: id, label: id.rawValue, lookup: nil, state: state, comparison: comparison, record: nil)
        }
        return [
            Resolution(key: .variable("region"), winner: .backend, tiers: [
                tier(.backend, .present(.variable("eu-west-1")), .winner),
                tier(.env, .present(.variable("eu-west-1")), .same),
                tier(.metastore, .present(.variable("us-east-1")), .differs),
            ], collisions: []),
            Resolution(key: .connection("broken"), winner: nil, tiers: [
                tier(.backend, .empty),
                tier(.env, .absent),
                tier(.metastore, .unreadable(reason: "the Fernet key does not decrypt it")),
            ], collisions: []),
            Resolution(key: .variable("odd name"), winner: nil, tiers: [
                tier(.backend, .skipped(reason: "the naming rule never asks for it")),
                tier(.env, .unavailable(reason: "refused")),
                tier(.metastore, .loading),
            ], collisions: []),
            Resolution(key: .variable("only_env"), winner: .env, tiers: [
                tier(.env, .present(.variable("x")), .winner),
                tier(.metastore, .absent),
            ], collisions: []),
        ]
    }

    /// The frame with `#xxxx…` fingerprints replaced by `#····…`.
    static func maskingFingerprints(_ frame: Frame) -> Frame {
        var copy = frame
        for y in 0..<frame.size.rows {
            var x = 0
            while x + 5 < frame.size.columns {
                if frame[x, y].text == "#", frame[x + 5, y].text == "…",
                   (1...4).allSatisfy({ frame[x + $0, y].text.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }) {
                    copy.put("····", x: x + 1, y: y, role: frame[x + 1, y].role)
                    x += 6
                } else {
                    x += 1
                }
            }
        }
        return copy
    }
}

extension CompareSnapshotTests {
    func testSmallestTerminalKeepsEveryTierColumnAsSymbols() async {
        let harness = Sample.harness(size: Layout.minimum)
        await harness.start()
        await harness.press(.char("c"))
        let frame = harness.frame
        let line = frame.textLines.first { $0.contains("region") } ?? ""
        XCTAssertTrue(line.contains("●") && line.contains("=") && line.contains("≠"),
                      "winner, same and differs all show at the smallest size: \(line)")
        assertSnapshot(frame, named: "compare-minimum-size")
    }

    func testHelpListsTheComparisonKeys() async {
        let lines = HelpContent.lines(.standard).map(\.plainText)
        XCTAssertTrue(lines.contains("Compare (c, :compare)"))
        for (keys, text) in CompareKeys.map.helpRows {
            XCTAssertTrue(lines.contains { $0.contains(keys) && $0.contains(text) }, "help lists \(keys)")
        }
        XCTAssertTrue(lines.contains { $0.contains(":compare A B…") })
    }
}
