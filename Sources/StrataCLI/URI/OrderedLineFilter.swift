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

    /// One input line: its bytes, valid only during the transform it is given to.
    struct Line {
        /// The line's bytes, without its newline (and one `\r` before it).
        let bytes: UnsafeBufferPointer<UInt8>
        /// The line as `readLine` gives it: invalid UTF-8 becomes U+FFFD.
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Appends the result for one line (with its trailing newline) and tells whether it failed.
    typealias Transform = @Sendable (Line, inout [UInt8]) -> Bool

    /// Reads standard input to its end; returns how many lines failed.
    func run(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
             _ transform: @escaping Transform) throws -> Int {
        var failures = 0
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        // One output buffer per share, kept from chunk to chunk: fresh ones cost page faults.
        // Many small shares, so that the workers finish a chunk together.
        var outputs = [[UInt8]](repeating: [], count: workers * 16)
        while true {
            let count = try readSome(input, into: &buffer)
            if count == 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            failures += try process(pending[...lastNewline], output: output, buffers: &outputs, transform)
            pending.removeSubrange(...lastNewline)
        }
        if !pending.isEmpty {
            // A last line without a newline is taken whole, a trailing `\r` included.
            var bytes: [UInt8] = []
            if pending.withUnsafeBufferPointer({ transform(Line(bytes: $0), &bytes) }) { failures += 1 }
            try writeAll(output, bytes)
        }
        return failures
    }

    /// Transforms complete newline-terminated lines, several shares per worker (so that a worker
    /// done early takes another share instead of waiting), and writes them in order.
    private func process(_ text: ArraySlice<UInt8>, output: Int32, buffers: inout [[UInt8]],
                         _ transform: @escaping Transform) throws -> Int {
        let lines = Self.lineRanges(in: text)
        let shares = min(buffers.count, max(1, lines.count / 64))
        let perShare = (lines.count + shares - 1) / shares
        nonisolated(unsafe) var failures = [Int](repeating: 0, count: shares)
        // Each share touches only its own buffer and count, and `concurrentPerform` returns
        // after all of them.
        let base = text.startIndex
        buffers.withUnsafeMutableBufferPointer { outputs in
            failures.withUnsafeMutableBufferPointer { counts in
                text.withUnsafeBufferPointer { input in
                    nonisolated(unsafe) let outputs = outputs
                    nonisolated(unsafe) let counts = counts
                    nonisolated(unsafe) let input = input
                    DispatchQueue.concurrentPerform(iterations: shares) { share in
                        let range = (share * perShare)..<min(lines.count, (share + 1) * perShare)
                        var bytes = outputs[share]
                        outputs[share] = []
                        bytes.removeAll(keepingCapacity: true)
                        var failed = 0
                        for index in range {
                            let span = lines[index]
                            let line = Line(bytes: UnsafeBufferPointer(rebasing: input[(span.lowerBound - base)..<(span.upperBound - base)]))
                            if transform(line, &bytes) { failed += 1 }
                        }
                        outputs[share] = bytes
                        counts[share] = failed
                    }
                }
            }
        }
        for share in 0..<shares { try writeAll(output, buffers[share]) }
        return failures.reduce(0, +)
    }

    /// Each line's bytes without its `\n` and without one `\r` before it.
    static func lineRanges(in text: ArraySlice<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = text.startIndex
        text.withUnsafeBufferPointer { bytes in
            guard let first = bytes.baseAddress else { return }
            let base = text.startIndex
            // memchr finds each newline many bytes at a time; this runs on the reading thread
            // while the workers wait.
            var from = 0
            while from < bytes.count, let found = memchr(first + from, 0x0A, bytes.count - from) {
                let offset = first.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var end = base + offset
                if end > start, bytes[end - 1 - base] == UInt8(ascii: "\r") { end -= 1 }
                ranges.append(start..<end)
                start = base + offset + 1
                from = offset + 1
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
