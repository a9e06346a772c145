import Foundation

/// Runs a per-line transformation over standard input on every core and writes the results to
/// standard output in input order: the engine behind `strata uri parse|format`.
///
/// Lines are split as `readLine(strippingNewline: true)` splits them (on `\n`, dropping one `\r`
/// before it; a last line without a newline still counts; invalid UTF-8 becomes U+FFFD), so the
/// output is the same as a one-line-at-a-time loop, only faster.
struct OrderedLineFilter {
    /// Bytes read from standard input at a time; each read's complete lines are shared out.
    var chunkSize = 1 << 20
    /// Threads transforming lines at once.
    var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Appends the result for one line (with its trailing newline) and tells whether it failed.
    typealias Transform = @Sendable (String, inout [UInt8]) -> Bool

    /// Reads standard input to its end; returns how many lines failed.
    func run(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
             _ transform: @escaping Transform) throws -> Int {
        var failures = 0
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = try readSome(input, into: &buffer)
            if count == 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            failures += try process(pending[...lastNewline], output: output, transform)
            pending.removeSubrange(...lastNewline)
        }
        if !pending.isEmpty {
            // A last line without a newline is taken whole, a trailing `\r` included.
            var bytes: [UInt8] = []
            if transform(String(decoding: pending, as: UTF8.self), &bytes) { failures += 1 }
            try writeAll(output, bytes)
        }
        return failures
    }

    /// Transforms complete newline-terminated lines, a share per worker, and writes them in order.
    private func process(_ text: ArraySlice<UInt8>, output: Int32, _ transform: @escaping Transform) throws -> Int {
        let lines = Self.lineRanges(in: text)
        let shares = min(workers, max(1, lines.count / 256))
        let perShare = (lines.count + shares - 1) / shares
        nonisolated(unsafe) var results = [(bytes: [UInt8], failures: Int)](repeating: ([], 0), count: shares)
        // Each share writes only its own slot, and `concurrentPerform` returns after all of them.
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: shares) { share in
                let range = (share * perShare)..<min(lines.count, (share + 1) * perShare)
                var bytes: [UInt8] = []
                // Results run to about four times their input; growing the buffer copies it.
                if let first = range.first, let last = range.last {
                    bytes.reserveCapacity((lines[last].upperBound - lines[first].lowerBound) * 4 + 256)
                }
                var failures = 0
                for index in range {
                    let line = String(decoding: text[lines[index]], as: UTF8.self)
                    if transform(line, &bytes) { failures += 1 }
                }
                slots[share] = (bytes, failures)
            }
        }
        for result in results { try writeAll(output, result.bytes) }
        return results.reduce(0) { $0 + $1.failures }
    }

    /// Each line's bytes without its `\n` and without one `\r` before it.
    static func lineRanges(in text: ArraySlice<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = text.startIndex
        text.withUnsafeBufferPointer { bytes in
            let base = text.startIndex
            for offset in 0..<bytes.count where bytes[offset] == UInt8(ascii: "\n") {
                var end = base + offset
                if end > start, text[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                ranges.append(start..<end)
                start = base + offset + 1
            }
        }
        return ranges
    }

    private func readSome(_ descriptor: Int32, into buffer: inout [UInt8]) throws -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw CLIError("cannot read standard input: \(String(cString: strerror(errno)))")
        }
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CLIError("cannot write standard output: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
