import Foundation
@testable import StrataCLI
import Testing
import TestSupport

/// `strata uri` reads lines exactly as `readLine(strippingNewline: true)` did and writes the
/// results in input order, however the work is shared out.
@Suite("Ordered line filter")
struct OrderedLineFilterTests {
    /// Runs the filter from a file holding `input` into another file; returns output and failures.
    private func run(_ input: [UInt8], filter: OrderedLineFilter,
                     _ transform: @escaping OrderedLineFilter.Transform) throws -> (String, Int) {
        let folder = try TemporaryDirectory("line-filter")
        defer { folder.remove() }
        let inputURL = folder.url.appendingPathComponent("in")
        try Data(input).write(to: inputURL)
        let outputURL = folder.url.appendingPathComponent("out")
        let inputDescriptor = open(inputURL.path, O_RDONLY)
        let outputDescriptor = open(outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(inputDescriptor); close(outputDescriptor) }
        let failures = try filter.run(input: inputDescriptor, output: outputDescriptor, transform)
        return (try String(contentsOf: outputURL, encoding: .utf8), failures)
    }

    @Test func splitsLinesAsReadLineDoes() throws {
        let input = Array("a\r\nb\r\r\n".utf8) + [0xFF, 0x00] + Array("z\n\nx\ry\nlast\r".utf8)
        let (output, failures) = try run(input, filter: OrderedLineFilter()) { line, out in
            out.append(contentsOf: Array(line.text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ",").utf8))
            out.append(UInt8(ascii: "\n"))
            return false
        }
        #expect(failures == 0)
        #expect(output.split(separator: "\n", omittingEmptySubsequences: false) == [
            "61", "62,d", "fffd,0,7a", "", "78,d,79", "6c,61,73,74,d", "",
        ])
    }

    @Test func keepsInputOrderAcrossChunksAndWorkers() throws {
        var generator = SeededGenerator()
        let lines = (0..<5_000).map { index in
            "\(index):" + String((0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Character(UnicodeScalar(UInt8.random(in: 0x21...0x7E, using: &generator)))
            })
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let (output, failures) = try run(input, filter: OrderedLineFilter(chunkSize: 97, workers: 4)) { line, out in
            out.append(contentsOf: Array(String(line.text.reversed()).utf8))
            out.append(UInt8(ascii: "\n"))
            return line.bytes.count % 2 == 1
        }
        let expected = lines.map { String($0.reversed()) + "\n" }.joined()
        #expect(output == expected, "\(generator.replay)")
        #expect(failures == lines.filter { $0.utf8.count % 2 == 1 }.count, "\(generator.replay)")
    }

    @Test func emptyInputWritesNothing() throws {
        let (output, failures) = try run([], filter: OrderedLineFilter()) { _, out in
            out.append(UInt8(ascii: "!"))
            return true
        }
        #expect(output.isEmpty)
        #expect(failures == 0)
    }
}
