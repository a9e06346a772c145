import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file's bytes so that a reader (or a crash) only ever sees the old file whole or
/// the new file whole: a temp file in the same folder, written and fsynced, given the original's
/// permission bits (0600 for a new file: these files hold secrets), checked, renamed over the
/// original, and the folder fsynced. On any failure the original is untouched and the temp
/// file removed.
public enum AtomicFile {
    /// The bytes of the file at `url` now; nil when there is no file.
    public static func read(_ url: URL) throws -> Data? {
        let path = url.path
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw EditError(.failed, "\(path) cannot be read (\(errorText(errno))); check that it is readable")
        }
        do {
            return try RegularFile.withBytes(path) { Data($0) }
        } catch let error as RegularFileError {
            throw EditError(.failed, "\(path) \(error.check.problem ?? "cannot be read"); \(error.check.fix)")
        } catch {
            throw EditError(.failed, "\(path) cannot be read; check that it is readable")
        }
    }

    /// The file a write to `url` really changes: a symlink's target, so the link stays a link.
    public static func target(of url: URL) -> URL {
        url.resolvingSymlinksInPath()
    }

    /// Writes `data` to `url` atomically, provided the file still holds `original` (nil: still
    /// does not exist) at the moment of the rename; `verify` is given the fully written temp
    /// file (same folder, same extension) and may throw to abandon the write.
    ///
    /// Throws `EditError(.conflict)` when the file changed since `original` was read, and
    /// `EditError(.failed)` when the folder cannot be written; neither leaves a temp file.
    public static func replace(_ url: URL, with data: Data, expecting original: Data?,
                               verify: (URL) async throws -> Void = { _ in }) async throws {
        let target = target(of: url)
        let temp = try writeTemp(data, beside: target, modeFrom: original == nil ? nil : target)
        var renamed = false
        defer { if !renamed { unlink(temp.path) } }
        try await verify(temp)
        try commit(temp, over: target, expecting: original)
        renamed = true
        syncFolder(of: target)
    }

    /// Writes the temp file: exclusive create (0600), every byte, the original's mode, fsync.
    static func writeTemp(_ data: Data, beside target: URL, modeFrom original: URL?) throws -> URL {
        let folder = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        // The temp file keeps the text after the name's last dot (even for `.env`): Airflow
        // picks a secret file's format from it, and `verify` loads the temp file.
        let ext = name.contains(".") ? String(name[name.index(after: name.lastIndex(of: ".")!)...]) : ""
        let temp = folder.appendingPathComponent(".\(name).strata-\(UUID().uuidString.prefix(8))" + (ext.isEmpty ? ".tmp" : ".\(ext)"))
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EditError(.failed, "cannot create a temporary file in \(folder.path) (\(errorText(errno))); "
                            + "Strata writes beside \(name) so the change is atomic — make the folder writable")
        }
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(temp.path)
            }
        }
        let written = data.withUnsafeBytes { buffer -> Int32 in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
        if written != 0 {
            throw EditError(.failed, "writing \(target.path) failed (\(errorText(written))); the file was left as it was")
        }
        var mode: mode_t = 0o600
        if let original {
            var info = stat()
            if stat(original.path, &info) == 0 { mode = info.st_mode & 0o7777 }
        }
        if fchmod(fd, mode) != 0 {
            throw EditError(.failed, "setting the permissions of \(target.path) failed (\(errorText(errno))); the file was left as it was")
        }
        if fsync(fd) != 0 {
            throw EditError(.failed, "flushing \(target.path) to disk failed (\(errorText(errno))); the file was left as it was")
        }
        ok = true
        close(fd)
        return temp
    }

    /// One lock for every commit in this process: the last check and the rename happen together.
    private static let commitLock = NSLock()

    /// Renames `temp` over `target` unless the target no longer holds `original`.
    static func commit(_ temp: URL, over target: URL, expecting original: Data?) throws {
        commitLock.lock()
        defer { commitLock.unlock() }
        let now = try read(target)
        guard now == original else {
            throw EditError(.conflict, "\(target.path) changed while Strata was writing it; nothing was written.",
                            remedy: .editAgainOnCurrentValue)
        }
        if rename(temp.path, target.path) != 0 {
            throw EditError(.failed, "replacing \(target.path) failed (\(errorText(errno))); the file was left as it was")
        }
    }

    /// Makes the rename itself durable.
    static func syncFolder(of target: URL) {
        let fd = open(target.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
