import Foundation
import XCTest
import ViewModel

/// Compares a frame with `Snapshots/<name>.frame` (text, then a style layer). Records the file
/// when it is missing or RECORD_SNAPSHOTS=1, and fails so that a new baseline is reviewed.
func assertSnapshot(_ frame: Frame, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent(name + ".frame")
    let actual = frame.snapshot
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        XCTFail("Recorded new baseline \(url.lastPathComponent); review it and run again", file: file, line: line)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for index in 0..<max(e.count, a.count) {
            let left = index < e.count ? String(e[index]) : "∅"
            let right = index < a.count ? String(a[index]) : "∅"
            if left != right { diff.append("line \(index + 1):\n  expected |\(left)|\n  actual   |\(right)|") }
        }
        XCTFail("frame differs from \(url.lastPathComponent):\n" + diff.prefix(12).joined(separator: "\n"), file: file, line: line)
    }
}
