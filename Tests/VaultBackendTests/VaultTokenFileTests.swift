import Foundation
import Testing
import Engine
import TestSupport
@testable import VaultBackend
#if canImport(Glibc)
import Glibc
#endif

/// A token file (`token_path`, `jwt_token_path`, Kubernetes' token) is read at login time. A
/// FIFO or a folder named in its place is refused at once, saying what it is: reading a FIFO
/// would block the tier until its deadline.
@Suite("Vault credential files")
struct VaultTokenFileTests {
    @Test func aFIFOAsTheTokenFileIsRefusedAtOnce() throws {
        let dir = try TemporaryDirectory("vault-token-fifo")
        defer { dir.remove() }
        let url = dir.url.appendingPathComponent("token")
        #expect(mkfifo(url.path, 0o600) == 0)
        let started = Date()
        #expect {
            _ = try VaultCredentialSource.file(url).read(what: "token")
        } throws: { error in
            String(describing: error).contains("FIFO")
        }
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test func aFolderAsTheTokenFileIsRefusedAndARegularFileIsReadStripped() throws {
        let dir = try TemporaryDirectory("vault-token-folder")
        defer { dir.remove() }
        #expect(throws: VaultFailure.self) { _ = try VaultCredentialSource.file(dir.url).read(what: "token") }
        let file = try dir.write("token", "  s.abc123\n")
        #expect(try VaultCredentialSource.file(file).read(what: "token") == "s.abc123")
    }
}
