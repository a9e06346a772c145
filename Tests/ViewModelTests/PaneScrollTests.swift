import Engine
import TestSupport
import XCTest
@testable import ViewModel

/// Scrolling reaches the last wrapped line of the detail and backend panes: the reducer clamps
/// with the same wrapped lines the renderer draws, at every screen width.
final class PaneScrollTests: XCTestCase {
    /// A value of 60 words that wraps into many lines, ending in a marker.
    static let longValue = (0..<60).map { String(format: "word%02d", $0) }.joined(separator: " ") + " END-OF-VALUE"

    struct LongValueFactory: TierFactory {
        func makeTiers(for deployment: Deployment, context: LookupContext) -> [TierSlot] {
            [TierSlot(source: InMemoryTier(.backend, label: "Local files", records: [.variable("long_one", PaneScrollTests.longValue)]))]
        }
    }

    func harness(columns: Int, rows: Int) -> Harness {
        let harness = Harness(deployments: [Deployment(name: "local", airflowVersion: .v3)], factory: LongValueFactory(),
                              size: Size(columns: columns, rows: rows))
        harness.backendInfo = { _ in
            BackendPaneInfo(friendlyName: "Local files", className: "airflow.secrets.local_filesystem.LocalFilesystemBackend",
                            kwargs: ["variables_file_path = " + (0..<40).map { "dir\($0)" }.joined(separator: "/") + "/END-OF-KWARGS.json",
                                     "connections_file_path = include/conns.yaml"],
                            namingScheme: ["conns <id>", "vars <key>"], auth: "files on disk")
        }
        return harness
    }

    /// The text inside `rect` on screen without its spaces, the rows run together, so that a
    /// word the pane broke across lines reads whole again.
    func paneText(_ harness: Harness, _ rect: Rect) -> String {
        harness.frame.textLines[(rect.y + 1)..<(rect.maxY - 1)].map { line -> String in
            let characters = Array(line)
            let columns = characters[min(characters.count, rect.x + 1)..<min(characters.count, rect.maxX - 1)]
            return String(columns.filter { $0 != " " })
        }.joined()
    }

    func testTheTailOfALongRevealedValueCanBeScrolledIntoViewAtEveryWidth() async {
        for columns in [60, 61, 73, 80, 99, 100, 133, 160] {
            let harness = harness(columns: columns, rows: 16)
            await harness.start()
            await harness.press(.char("x"), .char("4"), .end)
            let screen = harness.frame.textLines.joined(separator: "\n")
            let detail = Layout(harness.state.size)!.detail
            XCTAssertTrue(paneText(harness, detail).hasSuffix("word59END-OF-VALUE"),
                          "\(columns) columns: the last wrapped line is on the pane's last row\n\(screen)")
            // And scrolling no further than that: the last line is on the pane's last row, not above it.
            await harness.press(.pageDown, .pageDown)
            XCTAssertEqual(harness.frame.textLines.joined(separator: "\n"), screen, "\(columns) columns: the end stays the end")
        }
    }

    func testTheTailOfLongKwargsCanBeScrolledIntoViewAtEveryWidth() async {
        for columns in [60, 80, 100, 160] {
            let harness = harness(columns: columns, rows: 14)
            await harness.start()
            await harness.press(.char("2"), .end)
            let screen = harness.frame.textLines.joined(separator: "\n")
            let backend = Layout(harness.state.size)!.backend
            XCTAssertTrue(paneText(harness, backend).contains("dir39/END-OF-KWARGS.json"),
                          "\(columns) columns: the wrapped kwargs' end is reachable\n\(screen)")
        }
    }
}
