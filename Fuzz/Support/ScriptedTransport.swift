import Foundation
import Engine

/// An HTTP transport whose replies come from the fuzz input, so a remote tier decodes whatever
/// a hostile or broken server could send, with no network.
///
/// The input is a list of replies separated by a line `====`. Each reply is a status line (a
/// number; anything else means 200), optional `Name: value` header lines, a blank line and the
/// body. A reply without a blank line is a status line and a body. Requests the caller marks as
/// authentication get a fixed answer (`fixedReply`), so the input is spent on the decoders.
/// When the script runs out every request gets 404 with an empty body.
///
/// `@unchecked Sendable`: its mutable state is only read or written under its lock.
public final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    public static let separator = Array("\n====\n".utf8)
    /// More requests than any script can lead to on a bounded listing: a sign of a loop.
    public static let requestLimit = 2_000

    private let lock = NSLock()
    private var replies: [HTTPResponse]
    private var next = 0
    private var sent = 0
    private let fixedReply: @Sendable (HTTPRequest) -> HTTPResponse?

    public init(script: [UInt8], fixedReply: @escaping @Sendable (HTTPRequest) -> HTTPResponse? = { _ in nil }) {
        replies = Self.split(script).map(Self.reply)
        self.fixedReply = fixedReply
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let fixed = fixedReply(request) { return fixed }
        return lock.withLock {
            sent += 1
            FuzzCheck.require(sent <= Self.requestLimit, "more than \(Self.requestLimit) requests for one input")
            guard next < replies.count else { return HTTPResponse(status: 404) }
            defer { next += 1 }
            return replies[next]
        }
    }

    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        let separator = Self.separator
        while i + separator.count <= bytes.count {
            if bytes[i] == separator[0], bytes[i..<(i + separator.count)].elementsEqual(separator) {
                parts.append(bytes[start..<i])
                i += separator.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(bytes[start...])
        return parts
    }

    static func reply(_ bytes: ArraySlice<UInt8>) -> HTTPResponse {
        let newline = UInt8(ascii: "\n")
        guard let firstEnd = bytes.firstIndex(of: newline) else {
            return HTTPResponse(status: status(bytes), body: [])
        }
        let status = status(bytes[bytes.startIndex..<firstEnd])
        var rest = bytes[(firstEnd + 1)...]
        var headers: [(name: String, value: String)] = []
        // "200\n\nbody": no headers. "200\nName: v\n\nbody": headers. "200\nbody": no headers.
        if rest.first == newline {
            rest = rest.dropFirst()
        } else if let blank = blankLine(in: rest) {
            for line in rest[rest.startIndex..<blank].split(separator: newline) {
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                headers.append((name, value))
            }
            rest = rest[(blank + 2)...]
        }
        return HTTPResponse(status: status, headers: headers, body: Array(rest))
    }

    /// The index of the first "\n\n".
    private static func blankLine(in bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\n"), bytes[i + 1] == UInt8(ascii: "\n") { return i }
            i += 1
        }
        return nil
    }

    private static func status(_ bytes: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard let value = Int(text), (100...599).contains(value) else { return 200 }
        return value
    }
}
