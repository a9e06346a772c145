import Editing
import Engine
import Foundation
import Testing
import TestSupport

@Suite struct AtomicFileReplacement {
    @Test func theNewBytesReplaceTheOldAndModeIsKept() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write("secret.json", "{\"a\": 1}\n")
        try s.setMode("secret.json", 0o604)
        let original = try AtomicFile.read(url)
        try await AtomicFile.replace(url, with: Data("{\"a\": 2}\n".utf8), expecting: original)
        #expect(try s.text("secret.json") == "{\"a\": 2}\n")
        #expect(try s.mode("secret.json") == 0o604)
        #expect(try s.listing() == ["secret.json"])
    }

    @Test func theTempFileIsCompleteWhenVerifiedAndNamedLikeTheTarget() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = s.file("vars.yaml")
        let payload = Data(String(repeating: "k: v\n", count: 50_000).utf8)
        var seen: URL?
        try await AtomicFile.replace(url, with: payload, expecting: nil) { temp in
            seen = temp
            let written = try Data(contentsOf: temp)
            #expect(written == payload)
            #expect(!FileManager.default.fileExists(atPath: url.path), "the target appears only at the rename")
        }
        #expect(seen?.pathExtension == "yaml")
        #expect(seen?.deletingLastPathComponent().path == s.url.path + "/" || seen?.deletingLastPathComponent().path == s.url.path)
        #expect(try s.mode("vars.yaml") == 0o600)
        #expect(try s.listing() == ["vars.yaml"])
    }

    @Test func aFailedCheckLeavesTheOriginalAndNoTempFile() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write(".env", "A=1\n")
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await AtomicFile.replace(url, with: Data("A=2\n".utf8), expecting: try AtomicFile.read(url)) { _ in throw Refused() }
        }
        #expect(try s.text(".env") == "A=1\n")
        #expect(try s.listing() == [".env"])
    }

    @Test func aChangeDuringTheWriteIsAConflict() async throws {
        let s = try Scratch(); defer { s.remove() }
        let url = try s.write(".env", "A=1\n")
        let original = try AtomicFile.read(url)
        let error = await editError {
            try await AtomicFile.replace(url, with: Data("A=2\n".utf8), expecting: original) { _ in
                try "A=someone else\n".write(to: url, atomically: false, encoding: .utf8)
            }
        }
        #expect(error?.kind == .conflict)
        #expect(try s.text(".env") == "A=someone else\n")
        #expect(try s.listing() == [".env"])
    }

    @Test func aSymlinkStaysALinkAndItsTargetIsWritten() async throws {
        let s = try Scratch(); defer { s.remove() }
        let target = try s.write("real.env", "A=1\n")
        let link = s.file("link.env")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try await AtomicFile.replace(link, with: Data("A=2\n".utf8), expecting: try AtomicFile.read(link))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(try s.text("real.env") == "A=2\n")
    }
}

@Suite struct FileWriterErrorsStaySecret {
    @Test func refusalsNameTheKeyButNeverTheValue() async throws {
        let s = try Scratch(); defer { s.remove() }
        let secret = "hunter2-\u{0}-'quote'"
        let env = try s.write(".env", "A=1\n")
        var d = Deployment(name: "dev")
        d.envFiles = [env]
        let yaml = try s.write("airflow_settings.yaml", "airflow:\n  variables: []\n")
        let local = try s.write("vars.env", "A=1\n")
        let attempts: [(any TierWriter, TierChange)] = [
            (EnvFileWriter(deployment: d, dialect: .core), .set(.variable("k"), .variable(secret, description: nil))),
            (AirflowSettingsWriter(fileURL: yaml, dialect: .core), .set(.variable("k"), .variable(secret, description: nil))),
            (LocalFilesWriter(variablesFile: local, connectionsFile: nil, dialect: .core),
             .set(.variable("k"), .variable("hunter2\nline", description: nil))),
            (EnvFileWriter(deployment: d, dialect: .core),
             .set(.connection("c"), .connection(Connection(connType: "postgresql", host: "h", password: "hunter2")), form: .uri)),
        ]
        for (writer, change) in attempts {
            let error = await editError { _ = try await writer.apply(change, expecting: .absent) }
            #expect(error != nil)
            #expect(error?.message.contains("hunter2") == false)
        }
    }
}
