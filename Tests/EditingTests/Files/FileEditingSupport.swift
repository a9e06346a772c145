import Editing
import Engine
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A scratch folder for the file-writer tests, with the checks they share.
struct Scratch {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory("strata-file-writers") }

    var url: URL { dir.url }

    func file(_ name: String) -> URL { dir.url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL { try dir.write(name, text) }

    func text(_ name: String) throws -> String { try String(contentsOf: file(name), encoding: .utf8) }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: file(name)) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }

    /// Permission bits of a file.
    func mode(_ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file(name).path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func setMode(_ name: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name).path)
    }

    /// Every entry of the folder, hidden ones included (temp files start with a dot).
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    /// Runs `body` with the folder made unwritable: `chattr +i` for root (permission bits do not
    /// stop root), mode 0555 otherwise.
    func withReadOnlyFolder<T>(_ body: () async throws -> T) async throws -> T {
        let root = geteuid() == 0
        if root {
            try #require(run("/usr/bin/chattr", ["+i", url.path]) == 0,
                         "chattr +i failed: this filesystem cannot make a folder read-only for root")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: url.path)
        }
        defer {
            if root { _ = run("/usr/bin/chattr", ["-i", url.path]) } else {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        }
        return try await body()
    }

    private func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func remove() { dir.remove() }
}

/// The error `body` throws, as an `EditError`.
func editError(_ body: () async throws -> Void) async -> EditError? {
    do {
        try await body()
        return nil
    } catch let error as EditError {
        return error
    } catch {
        Issue.record("expected an EditError, got \(type(of: error))")
        return nil
    }
}

/// The state a tier source reports for `name` after a fresh load.
func loadedState(_ source: any TierSource, _ kind: SecretKind, _ name: String) async throws -> EntryState {
    let snapshot = try await source.load()
    return snapshot.records.last { $0.kind == kind && $0.name == name }?.state ?? .absent
}
