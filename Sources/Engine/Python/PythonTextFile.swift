import Foundation

/// Python's `open(path).read()` in text mode on a UTF-8 system: strict UTF-8 decoding (a BOM is
/// kept as U+FEFF) and universal newlines (`\r\n` and a lone `\r` become `\n`). Airflow reads its
/// secret files this way, so line numbers and values depend on it.
enum PythonTextFile {
    /// The decoded text, or the `OSError` / `UnicodeDecodeError` Python would raise.
    static func read(path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PythonException("FileNotFoundError", "[Errno 2] No such file or directory: \(PythonValue.stringRepr(path))")
        }
        if isDirectory.boolValue {
            throw PythonException("IsADirectoryError", "[Errno 21] Is a directory: \(PythonValue.stringRepr(path))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw PythonException("PermissionError", "[Errno 13] Permission denied: \(PythonValue.stringRepr(path))")
        }
        return try decode(data)
    }

    /// Strict UTF-8 decoding plus universal-newline translation.
    static func decode(_ data: Data) throws -> String {
        try data.withUnsafeBytes { raw -> String in
            let bytes = raw.bindMemory(to: UInt8.self)
            if let problem = firstInvalidUTF8(bytes) {
                let byte = String(bytes[problem.offset], radix: 16)
                throw PythonException("UnicodeDecodeError",
                                      "'utf-8' codec can't decode byte 0x\(byte.count == 1 ? "0" + byte : byte) in position \(problem.offset): \(problem.reason)")
            }
            guard bytes.contains(0x0D) else { return String(decoding: bytes, as: UTF8.self) }
            var translated: [UInt8] = []
            translated.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == 0x0D {
                    translated.append(0x0A)
                    if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                } else {
                    translated.append(bytes[i])
                }
                i += 1
            }
            return String(decoding: translated, as: UTF8.self)
        }
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
