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
}
