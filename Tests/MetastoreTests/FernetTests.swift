import CryptoExtras
import Foundation
@testable import Metastore
import Testing
import TestSupport

/// Fernet as `cryptography.fernet` implements it, checked against the published acceptance
/// vectors of the Fernet spec (github.com/fernet/spec: generate.json, verify.json, invalid.json),
/// the fixture keys, and Python's own `cryptography` package.
@Suite struct FernetTests {
    // The spec's shared secret, IV and time (1985-10-26T01:20:00-07:00).
    static let specSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
    static let specToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
    static let specTime: UInt64 = 499_162_800

    @Test("generate.json: secret, IV, time and 'hello' give the published token")
    func generateVector() throws {
        let key = try FernetKey(base64: Self.specSecret)
        let iv = try AES._CBC.IV(ivBytes: Array(0..<16) as [UInt8])
        let token = try FernetKeyRing.encrypt(Array("hello".utf8), key: key, timestamp: Self.specTime, iv: iv)
        #expect(token == Self.specToken)
    }

    @Test("verify.json: the published token decrypts to 'hello'")
    func verifyVector() throws {
        let ring = try FernetKeyRing(setting: Self.specSecret)
        let (text, index) = try ring.decryptText(Self.specToken)
        #expect(text == "hello" && index == 0)
    }

    @Test("invalid.json: malformed tokens are rejected (as Python's cryptography rejects them)",
          arguments: [
              ("incorrect mac", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ=="),
              ("too short", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA=="),
              ("invalid base64", "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q=="),
              ("payload size not multiple of block size", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm"),
              ("payload padding error", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw=="),
              ("incorrect IV (causes padding error)", "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ=="),
              ("invalid non-urlsafe characters in b64", "gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="),
              ("unpadded (Python: Incorrect padding)", "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA"),
          ])
    func invalidVectors(description: String, token: String) throws {
        let ring = try FernetKeyRing(setting: Self.specSecret)
        #expect(throws: FernetDecryptionError.invalidToken, "\(description)") { try ring.decrypt(token) }
    }

    @Test("invalid.json cases Airflow still accepts: TTL checks (Airflow passes no TTL) and Python's lenient base64")
    func vectorsAirflowAccepts() throws {
        let ring = try FernetKeyRing(setting: Self.specSecret)
        // Expired / far-future timestamps: valid tokens of the empty string.
        let expiredTTL = "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q=="
        let farFuture = "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw=="
        #expect(try ring.decryptText(expiredTTL).text == "")
        #expect(try ring.decryptText(farFuture).text == "")
        // base64.urlsafe_b64decode skips stray characters and stops at complete padding.
        let trailing = Self.specToken + "trailingdata"
        let stray = "*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
        #expect(try ring.decryptText(trailing).text == "hello")
        #expect(try ring.decryptText(stray).text == "hello")
    }

    @Test("base64 decoding follows Python's urlsafe_b64decode on odd inputs")
    func lenientBase64() {
        #expect(URLSafeBase64.decode("QQ=x=") == [0x41, 0x0C])
        #expect(URLSafeBase64.decode("QQ") == nil) // Incorrect padding
        #expect(URLSafeBase64.decode("Q") == nil) // 1 more than a multiple of 4
        #expect(URLSafeBase64.decode("QUJD=") == Array("ABC".utf8))
        #expect(URLSafeBase64.decode("QUI=QUI=") == Array("AB".utf8))
        #expect(URLSafeBase64.decode("-_-_") == [0xFB, 0xFF, 0xBF])
        #expect(URLSafeBase64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
        #expect(URLSafeBase64.encode([0xFB, 0xFF, 0xBF, 0x41]) == "-_-_QQ==")
    }

    @Test("MultiFernet: the first key encrypts, every key decrypts, and the key index is reported")
    func multiFernet() throws {
        let new = try MetastoreFixture.keyNew, old = try MetastoreFixture.keyOld
        let both = try FernetKeyRing(setting: "\(new),\(old)")
        let onlyOld = try FernetKeyRing(setting: old)
        let token = try both.encrypt("Grüße, 世界 🌍")
        #expect(try both.decryptText(token) == ("Grüße, 世界 🌍", 0))
        #expect(throws: FernetDecryptionError.invalidToken) { try onlyOld.decrypt(token) }
        let oldToken = try onlyOld.encrypt("legacy")
        #expect(try both.decryptText(oldToken) == ("legacy", 1))
        #expect(try both.encrypt("") != both.encrypt(""), "a fresh IV each time")
        #expect(try both.decryptText(try both.encrypt("")).text == "")
    }

    @Test("Empty setting is the null fernet; whitespace in keys is skipped as Python's decoder skips it")
    func settings() throws {
        #expect(try FernetKeyRing(setting: "").encrypts == false)
        let new = try MetastoreFixture.keyNew, old = try MetastoreFixture.keyOld
        #expect(try FernetKeyRing(setting: " \(new) , \(old)\n").keys.count == 2)
        #expect(throws: FernetDecryptionError.noKey) { try FernetKeyRing.none.decrypt(Self.specToken) }
    }

    @Test("Malformed keys: wrong length or not base64, reported by position without echoing the key")
    func malformedKeys() throws {
        let new = try MetastoreFixture.keyNew
        do {
            _ = try FernetKeyRing(setting: "\(new),c2hvcnQ=")
            Issue.record("a short key must be rejected")
        } catch let error as FernetSettingError {
            #expect(error.position == 2 && error.reason == .wrongLength(5))
            #expect(error.description.contains("key 2 of 2") && error.description.contains("32"))
            #expect(!error.description.contains("c2hvcnQ"))
        }
        do {
            _ = try FernetKeyRing(setting: "not base64 at all!!")
            Issue.record("a non-base64 key must be rejected")
        } catch let error as FernetSettingError {
            #expect(error.reason == .notBase64 && error.description.hasPrefix("the Fernet key is not url-safe base64"))
        }
        #expect(throws: FernetSettingError.self) { try FernetKeyRing(setting: "\(new),") }
    }

    @Test("Tokens Strata writes are decrypted by Python's cryptography MultiFernet, as Airflow does")
    func pythonDecryptsStrataTokens() throws {
        let new = try MetastoreFixture.keyNew, old = try MetastoreFixture.keyOld
        let ring = try FernetKeyRing(setting: "\(new),\(old)")
        let values = ["hello", "", "p@ss:w/rd#%?&=+ 😀\\", "line1\nline2\r\n", String(repeating: "x", count: 1000)]
        let tokens = try values.map { try ring.encrypt($0) }
        let script = """
        import json, sys
        from cryptography.fernet import Fernet, MultiFernet
        keys, tokens = json.load(sys.stdin)
        f = MultiFernet([Fernet(k.encode()) for k in keys.split(",")])
        json.dump([f.decrypt(t.encode()).decode() for t in tokens], sys.stdout)
        """
        let input = try JSONSerialization.data(withJSONObject: ["\(new),\(old)", tokens])
        let output = try runPython(script, input: input)
        let decrypted = try JSONSerialization.jsonObject(with: output) as? [String]
        #expect(decrypted == values)
    }

    @Test("Tokens Python's cryptography makes with the fixture keys decrypt in Strata")
    func strataDecryptsPythonTokens() throws {
        let old = try MetastoreFixture.keyOld
        let script = """
        import json, sys
        from cryptography.fernet import Fernet
        f = Fernet(sys.stdin.read().strip().encode())
        json.dump([f.encrypt(v.encode()).decode() for v in ["a", "", "é☃", "x" * 100]], sys.stdout)
        """
        let output = try runPython(script, input: Data(old.utf8))
        let tokens = try #require(try JSONSerialization.jsonObject(with: output) as? [String])
        let ring = try FernetKeyRing(setting: old)
        #expect(try tokens.map { try ring.decryptText($0).text } == ["a", "", "é☃", String(repeating: "x", count: 100)])
    }

    /// Runs `script` with `input` on stdin; files rather than pipes, so no signal interrupts the exchange.
    private func runPython(_ script: String, input: Data) throws -> Data {
        let directory = try TemporaryDirectory("strata-python")
        defer { directory.remove() }
        let inputURL = directory.url.appendingPathComponent("in")
        let outputURL = directory.url.appendingPathComponent("out")
        try input.write(to: inputURL)
        FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with the cryptography package is needed (pip install cryptography)")
        return try Data(contentsOf: outputURL)
    }
}
