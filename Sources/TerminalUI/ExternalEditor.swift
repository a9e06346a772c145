import CNcursesw
import Foundation

/// Runs `$VISUAL` / `$EDITOR` (else `vi`) on a private temp file with the screen handed over,
/// and reads the file back. The file is created 0600 and removed whatever happens.
enum ExternalEditor {
    /// The editor command: VISUAL, then EDITOR, then vi.
    static func command(environment: [String: String]) -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return "vi"
    }

    /// Edits `text` in `command`; returns the saved text, or why there is none.
    static func edit(_ text: String, suffix: String, command: String, directory: URL = FileManager.default.temporaryDirectory,
                     around run: (() -> Int32) -> Int32 = { $0() }) -> (text: String?, problem: String?) {
        let name = "strata-edit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))\(suffix)"
        let path = directory.appendingPathComponent(name).path
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return (nil, "cannot create a temp file for the editor in \(directory.path): \(String(cString: strerror(errno)))") }
        defer { unlink(path) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { return (nil, "cannot write the temp file for the editor") }

        let status = run { spawn(command: command, path: path) }
        guard status == 0 else {
            return (nil, "the editor (\(command)) exited with status \(status); nothing read back")
        }
        guard let data = FileManager.default.contents(atPath: path), let saved = String(data: data, encoding: .utf8) else {
            return (nil, "the editor's file could not be read back as UTF-8; nothing changed")
        }
        return (saved, nil)
    }

    /// `sh -c 'COMMAND "$1"' strata-editor PATH`, waited for; the exit status (127: not found).
    static func spawn(command: String, path: String) -> Int32 {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", command + " \"$1\"", "strata-editor", path]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard result == 0 else { return 127 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS by hand (macros).
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}
