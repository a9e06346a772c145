import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What is at a path Strata is about to read. Strata reads only regular files: opening a FIFO
/// waits for a writer forever, a device may never end, and a directory or a symbolic link that
/// leads nowhere is a mistake to report, not an empty file.
public enum FileCheck: Sendable, Hashable {
    case regular
    /// Nothing at the path (and no symbolic link either).
    case missing
    /// A symbolic link (perhaps through others) whose target does not exist.
    case danglingSymlink(target: String)
    /// Symbolic links that lead back to themselves (`ELOOP`).
    case symlinkLoop
    case directory
    case fifo
    case characterDevice
    case blockDevice
    case socket
    /// The path cannot be examined (a folder on the way is not searchable…).
    case inaccessible(reason: String)

    /// Examines `path`, following symbolic links as opening it would. Never opens it.
    public static func inspect(_ path: String) -> FileCheck {
        var info = stat()
        if stat(path, &info) == 0 { return kind(of: info.st_mode) }
        let error = errno
        switch error {
        case ELOOP:
            return .symlinkLoop
        case ENOENT, ENOTDIR:
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & mode_t(S_IFMT)) == mode_t(S_IFLNK) {
                return .danglingSymlink(target: linkTarget(path) ?? "?")
            }
            return .missing
        case EACCES, EPERM:
            return .inaccessible(reason: "permission denied")
        default:
            return .inaccessible(reason: String(cString: strerror(error)))
        }
    }

    static func kind(of mode: mode_t) -> FileCheck {
        switch mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): return .regular
        case mode_t(S_IFDIR): return .directory
        case mode_t(S_IFIFO): return .fifo
        case mode_t(S_IFCHR): return .characterDevice
        case mode_t(S_IFBLK): return .blockDevice
        case mode_t(S_IFSOCK): return .socket
        default: return .inaccessible(reason: "it is not a regular file")
        }
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, 4096)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var isRegular: Bool { self == .regular }

    /// What is wrong, worded to follow the path ("… is a FIFO (named pipe), not a regular
    /// file"); nil for a regular file.
    public var problem: String? {
        switch self {
        case .regular: return nil
        case .missing: return "does not exist"
        case .danglingSymlink(let target):
            return "is a symbolic link to \(FileCheck.inert(target)), which does not exist"
        case .symlinkLoop: return "is a symbolic link that loops back on itself (too many levels of symbolic links)"
        case .directory: return "is a folder, not a file"
        case .fifo: return "is a FIFO (named pipe), not a regular file; Strata does not read pipes, which could block it forever"
        case .characterDevice: return "is a character device, not a regular file; Strata reads only regular files"
        case .blockDevice: return "is a block device, not a regular file; Strata reads only regular files"
        case .socket: return "is a socket, not a regular file; Strata reads only regular files"
        case .inaccessible(let reason): return "cannot be examined (\(reason))"
        }
    }

    /// What to do about it.
    public var fix: String {
        switch self {
        case .regular: return ""
        case .missing: return "check the path"
        case .danglingSymlink: return "point the link at an existing file, or remove it"
        case .symlinkLoop: return "point the link at a real file"
        case .directory: return "name the file inside the folder"
        default: return "give the path of an ordinary file"
        }
    }

    /// Link targets are outside text: control characters stay inert.
    static func inert(_ text: String) -> String {
        "'" + InertText.make(String(String.UnicodeScalarView(text.unicodeScalars.prefix(200)))) + "'"
    }
}

/// A file Strata would not read: where, and what `FileCheck` found there.
public struct RegularFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var check: FileCheck

    public init(path: String, check: FileCheck) {
        self.path = path
        self.check = check
    }

    /// "PATH is a FIFO (named pipe), …; give the path of an ordinary file".
    public var description: String {
        "\(path) \(check.problem ?? "cannot be read"); \(check.fix)"
    }
}

/// Reads whole regular files, refusing anything else before it could block.
public enum RegularFile {
    /// The file's bytes, handed to `body` in a buffer that lives only for the call. The file is
    /// opened without blocking and checked after opening too, so a FIFO put in its place after
    /// `FileCheck.inspect` is still refused at once.
    public static func withBytes<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        let fd = try openRegular(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RegularFileError(path: path, check: .inaccessible(reason: errorText(errno))) }
        var capacity = max(Int(info.st_size), 0) + 1
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                // The file grew while being read: keep going.
                capacity *= 2
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                buffer.deallocate()
                buffer = larger
            }
            let n = read(fd, buffer.baseAddress! + count, capacity - count)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw RegularFileError(path: path, check: .inaccessible(reason: errorText(errno)))
            }
            count += n
        }
        return try body(UnsafeBufferPointer(start: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count))
    }

    /// The file as a `String` built straight from its bytes (no intermediate copy). `validate`
    /// sees the bytes first and throws to refuse them (with the caller's own UTF-8 error); it
    /// must refuse bytes that are not UTF-8. With `translatingNewlines`, `\r\n` and a lone `\r`
    /// become `\n` (Python's universal newlines).
    public static func string(_ path: String, translatingNewlines: Bool = false,
                              validate: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> String {
        let fd = try openRegular(path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RegularFileError(path: path, check: .inaccessible(reason: errorText(errno))) }
        let size = max(Int(info.st_size), 0)
        var readError: Int32 = 0
        let text = try String(unsafeUninitializedCapacity: max(size, 1)) { buffer -> Int in
            var count = 0
            while count < size {
                let n = read(fd, buffer.baseAddress! + count, size - count)
                if n == 0 { break }
                if n < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    return 0
                }
                count += n
            }
            let bytes = UnsafeBufferPointer(rebasing: buffer[..<count])
            try validate(bytes)
            guard translatingNewlines, bytes.contains(0x0D) else { return count }
            // In place: the text only shrinks.
            var out = 0, i = 0
            while i < count {
                if buffer[i] == 0x0D {
                    buffer[out] = 0x0A
                    if i + 1 < count, buffer[i + 1] == 0x0A { i += 1 }
                } else {
                    buffer[out] = buffer[i]
                }
                out += 1
                i += 1
            }
            return out
        }
        if readError != 0 { throw RegularFileError(path: path, check: .inaccessible(reason: errorText(readError))) }
        return text
    }

    /// The file as strict UTF-8 text; `InvalidUTF8Error` says where it is not.
    public static func utf8String(_ path: String) throws -> String {
        try string(path) { bytes in
            if let problem = PythonTextFile.firstInvalidUTF8(bytes) { throw InvalidUTF8Error(offset: problem.offset) }
        }
    }

    /// Opens `path` for reading without blocking, refusing anything but a regular file.
    private static func openRegular(_ path: String) throws -> Int32 {
        let check = FileCheck.inspect(path)
        guard check.isRegular else { throw RegularFileError(path: path, check: check) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            let error = errno
            if error == EACCES || error == EPERM {
                throw RegularFileError(path: path, check: .inaccessible(reason: "permission denied"))
            }
            throw RegularFileError(path: path, check: error == ENOENT ? FileCheck.inspect(path) : .inaccessible(reason: errorText(error)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw RegularFileError(path: path, check: .inaccessible(reason: errorText(errno)))
        }
        let opened = FileCheck.kind(of: info.st_mode)
        guard opened.isRegular else {
            close(fd)
            throw RegularFileError(path: path, check: opened)
        }
        return fd
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A file that is not UTF-8 text, and the byte offset where that shows.
public struct InvalidUTF8Error: Error, Sendable, Hashable {
    public var offset: Int
}
