import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts an export on disk: a file only its owner can read (0600, even when it replaces one
/// with other permissions), written whole or not at all.
public enum ExportFile {
    /// Writes `data` to `url`. Without `overwrite` an existing file is never replaced, even one
    /// created while Strata was writing (the file is linked into place, which fails if the name
    /// is taken). With it, the file is replaced atomically. Throws `EditError`.
    public static func write(_ data: Data, to url: URL, overwrite: Bool) throws {
        let target = AtomicFile.target(of: url)
        let existing = try AtomicFile.read(target)
        if existing != nil, !overwrite {
            throw EditError(.conflict, "\(url.path) already exists; give another --output, or --force to replace it")
        }
        // Never the original's mode: the file now holds secrets in full.
        let temp = try AtomicFile.writeTemp(data, beside: target, modeFrom: nil)
        defer { unlink(temp.path) }
        if overwrite {
            try AtomicFile.commit(temp, over: target, expecting: existing)
        } else if link(temp.path, target.path) != 0 {
            if errno == EEXIST {
                throw EditError(.conflict, "\(url.path) already exists; give another --output, or --force to replace it")
            }
            throw EditError(.failed, "writing \(url.path) failed (\(AtomicFile.errorText(errno))); nothing was written")
        }
        AtomicFile.syncFolder(of: target)
    }
}
