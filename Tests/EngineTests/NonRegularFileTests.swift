import Engine
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Strata reads only regular files. A FIFO, a device or a folder where a file is expected is
/// refused at once with a message saying what it is (a FIFO would otherwise block Strata
/// forever), and a symbolic link that leads nowhere or loops is reported as such — never
/// passed over as if the file were empty or absent.
@Suite("Only regular files are read")
struct NonRegularFileTests {
    private func fifo(_ dir: TemporaryDirectory, _ name: String) throws -> URL {
        let url = dir.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(mkfifo(url.path, 0o600) == 0)
        return url
    }

    private func link(_ dir: TemporaryDirectory, _ name: String, to target: String) throws -> URL {
        let url = dir.url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        return url
    }

    private func tierError(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test func fileCheckTellsEachKindApart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let regular = try dir.write("regular.txt", "x")
        let pipe = try fifo(dir, "pipe")
        let dangling = try link(dir, "dangling", to: dir.url.appendingPathComponent("nowhere").path)
        let loop = try link(dir, "loop-a", to: dir.url.appendingPathComponent("loop-b").path)
        _ = try link(dir, "loop-b", to: loop.path)
        let toRegular = try link(dir, "to-regular", to: regular.path)

        #expect(FileCheck.inspect(regular.path) == .regular)
        #expect(FileCheck.inspect(toRegular.path) == .regular, "a link to a regular file is read through")
        #expect(FileCheck.inspect(pipe.path) == .fifo)
        #expect(FileCheck.inspect(dangling.path) == .danglingSymlink(target: dir.url.appendingPathComponent("nowhere").path))
        #expect(FileCheck.inspect(loop.path) == .symlinkLoop)
        #expect(FileCheck.inspect(dir.url.path) == .directory)
        #expect(FileCheck.inspect("/dev/null") == .characterDevice)
        #expect(FileCheck.inspect(dir.url.appendingPathComponent("absent").path) == .missing)
    }

    @Test func localFilesRefuseAFIFOAtOnceInEveryFormat() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for name in ["variables.env", "variables.json", "variables.yaml", "connections.json"] {
            let pipe = try fifo(dir, name)
            let isVariables = name.hasPrefix("variables")
            let tier = LocalFilesystemTier(variablesFile: isVariables ? pipe : nil, connectionsFile: isVariables ? nil : pipe, dialect: .core)
            let message = await tierError { _ = try await tier.load() }
            #expect(message?.contains(pipe.path) == true, "\(name)")
            #expect(message?.contains("is a FIFO (named pipe), not a regular file") == true, "\(name): \(message ?? "no error")")
        }
    }

    @Test func localFilesReportADanglingOrLoopingLinkAsSuch() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let dangling = try link(dir, "variables.yaml", to: dir.url.appendingPathComponent("gone.yaml").path)
        let danglingMessage = await tierError {
            _ = try await LocalFilesystemTier(variablesFile: dangling, connectionsFile: nil, dialect: .core).load()
        }
        #expect(danglingMessage?.contains("FileNotFoundError") == true, "Airflow's own error class is kept")
        #expect(danglingMessage?.contains("is a symbolic link to") == true && danglingMessage?.contains("gone.yaml") == true)

        let loop = try link(dir, "connections.json", to: dir.url.appendingPathComponent("connections.json").path)
        let loopMessage = await tierError {
            _ = try await LocalFilesystemTier(variablesFile: nil, connectionsFile: loop, dialect: .core).load()
        }
        #expect(loopMessage?.contains("Too many levels of symbolic links") == true, "\(loopMessage ?? "no error")")
    }

    @Test func anAstroProjectEnvThatIsAFIFOOrADanglingLinkIsAnError() throws {
        for kind in ["fifo", "dangling", "loop", "folder"] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            try dir.write(".astro/config.yaml", "project:\n  name: x\n")
            switch kind {
            case "fifo": _ = try fifo(dir, ".env")
            case "dangling": _ = try link(dir, ".env", to: dir.url.appendingPathComponent("missing.env").path)
            case "loop": _ = try link(dir, ".env", to: dir.url.appendingPathComponent(".env").path)
            default: try FileManager.default.createDirectory(at: dir.url.appendingPathComponent(".env"), withIntermediateDirectories: true)
            }
            #expect(throws: WorkspaceError.self, "\(kind)") { _ = try Workspace.discover(explicitPath: nil, in: dir.url, processEnvironment: [:]) }
            do {
                _ = try Workspace.discover(explicitPath: nil, in: dir.url, processEnvironment: [:])
            } catch let error as WorkspaceError {
                let expected = ["fifo": "is a FIFO", "dangling": "is a symbolic link to", "loop": "loops back on itself", "folder": "is a folder"][kind]!
                #expect(error.path.hasSuffix("/.env"), "\(kind)")
                #expect(error.problem.contains(expected), "\(kind): \(error.problem)")
            }
        }
    }

    @Test func airflowSettingsThatIsADanglingLinkIsReportedByItsTierNotSilentlyEmpty() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(".astro/config.yaml", "project:\n  name: x\n")
        _ = try link(dir, "airflow_settings.yaml", to: dir.url.appendingPathComponent("settings-elsewhere.yaml").path)
        let workspace = try Workspace.discover(explicitPath: nil, in: dir.url, processEnvironment: [:])
        let settings = try #require(workspace.deployments[0].airflowSettingsFile, "the dangling link is still the project's settings file")
        let message = await tierError { _ = try await AirflowSettingsTier(fileURL: settings, dialect: .core).load() }
        #expect(message?.contains("is a symbolic link to") == true && message?.contains("settings-elsewhere.yaml") == true, "\(message ?? "no error")")
    }

    @Test func airflowSettingsThatIsAFIFOIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pipe = try fifo(dir, "airflow_settings.yaml")
        let message = await tierError { _ = try await AirflowSettingsTier(fileURL: pipe, dialect: .core).load() }
        #expect(message?.contains("is a FIFO (named pipe)") == true, "\(message ?? "no error")")
    }

    @Test func aWorkspaceFileOrEnvFileThatIsNotARegularFileIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let pipe = try fifo(dir, "strata.yaml")
        #expect { _ = try Workspace.load(pipe, processEnvironment: [:]) } throws: { error in
            (error as? WorkspaceError)?.problem.contains("is a FIFO (named pipe)") == true
        }
        #expect { _ = try Workspace.discover(explicitPath: nil, in: dir.url, processEnvironment: [:]) } throws: { error in
            (error as? WorkspaceError)?.problem.contains("is a FIFO (named pipe)") == true
        }

        let other = try TemporaryDirectory()
        defer { other.remove() }
        _ = try fifo(other, "pipe.env")
        let file = try other.write("strata.yaml", "deployments:\n  - name: a\n    env_files: [pipe.env, /dev/null]\n")
        #expect { _ = try Workspace.load(file, processEnvironment: [:]) } throws: { error in
            guard let error = error as? WorkspaceError else { return false }
            return error.path.hasSuffix("pipe.env") && error.problem.contains("is a FIFO (named pipe)")
        }
        let device = try other.write("strata.yaml", "deployments:\n  - name: a\n    env_files: [/dev/null]\n")
        #expect { _ = try Workspace.load(device, processEnvironment: [:]) } throws: { error in
            (error as? WorkspaceError)?.problem.contains("is a character device") == true
        }
    }
}
