import Foundation

/// The bytes libFuzzer hands a target, read as the text Strata's parsers take.
public enum FuzzInput {
    /// The input as a `String` (invalid UTF-8 becomes U+FFFD, as it does where Strata reads a file).
    public static func text(_ data: UnsafePointer<UInt8>?, _ size: Int) -> String {
        guard let data, size > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }

    /// The raw input bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The first byte picks one of `count` cases (its value modulo `count`, so the seeds can
    /// write it as an ASCII digit); the other bytes are the input proper. One case per input,
    /// rather than every case for every input, lets libFuzzer spend its executions where the
    /// coverage is, and the seeds say which case each was written for.
    public static func choice(_ data: UnsafePointer<UInt8>?, _ size: Int, of count: Int) -> (choice: Int, rest: [UInt8]) {
        guard let data, size > 0 else { return (0, []) }
        return (Int(data[0]) % count, Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    }
}
