import Foundation
import PythonCompat

/// Python's `open(path).read()` in text mode on a UTF-8 system: strict UTF-8 decoding (a BOM is
/// kept as U+FEFF) and universal newlines (`\r\n` and a lone `\r` become `\n`). Airflow reads its
/// secret files this way, so line numbers and values depend on it.
enum PythonTextFile {
    /// The decoded text, or the `OSError` / `UnicodeDecodeError` Python would raise. Only a
    /// regular file is opened: Python would wait forever on a FIFO, Strata says what it is.
    static func read(path: String) throws -> String {
        do {
            return try RegularFile.string(path, translatingNewlines: true) { bytes in
                if let problem = firstInvalidUTF8(bytes) { throw unicodeDecodeError(bytes, problem) }
            }
        } catch let error as RegularFileError {
            throw pythonError(error)
        }
    }

    /// The exception Python's `open()` raises for what `FileCheck` found, with Strata's note
    /// where Python's own message would leave the reader guessing.
    static func pythonError(_ error: RegularFileError) -> PythonException {
        let path = PythonValue.stringRepr(error.path)
        switch error.check {
        case .missing:
            return PythonException("FileNotFoundError", "[Errno 2] No such file or directory: \(path)")
        case .danglingSymlink:
            return PythonException("FileNotFoundError", "[Errno 2] No such file or directory: \(path) (it \(error.check.problem ?? "is a dangling symbolic link"))")
        case .symlinkLoop:
            return PythonException("OSError", "[Errno 40] Too many levels of symbolic links: \(path)")
        case .directory:
            return PythonException("IsADirectoryError", "[Errno 21] Is a directory: \(path)")
        case .inaccessible(let reason) where reason == "permission denied":
            return PythonException("PermissionError", "[Errno 13] Permission denied: \(path)")
        default:
            return PythonException("OSError", "\(path) \(error.check.problem ?? "is not a regular file")")
        }
    }

    private static func unicodeDecodeError(_ bytes: UnsafeBufferPointer<UInt8>, _ problem: (offset: Int, reason: String)) -> PythonException {
        let byte = String(bytes[problem.offset], radix: 16)
        return PythonException("UnicodeDecodeError",
                               "'utf-8' codec can't decode byte 0x\(byte.count == 1 ? "0" + byte : byte) in position \(problem.offset): \(problem.reason)")
    }

    /// Where CPython's UTF-8 decoder would stop, and its reason text.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, reason: String)? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var lowerSecond: UInt8 = 0x80, upperSecond: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lowerSecond = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upperSecond = 0x9F
            case 0xF0: length = 4; lowerSecond = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upperSecond = 0x8F
            default: return (i, "invalid start byte")
            }
            for k in 1..<length {
                guard i + k < n else { return (i, "unexpected end of data") }
                let c = bytes[i + k]
                let low = k == 1 ? lowerSecond : 0x80, high = k == 1 ? upperSecond : 0xBF
                guard c >= low && c <= high else { return (i, "invalid continuation byte") }
            }
            i += length
        }
        return nil
    }
}
