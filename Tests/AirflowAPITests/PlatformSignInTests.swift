import Foundation
import Testing
import Editing
import Engine
import PythonCompat
import TestSupport
@testable import AirflowAPI

/// Signing in through the managed platforms' own doors: Amazon MWAA's `InvokeRestApi` (SigV4
/// with the deployment's AWS credentials) and Cloud Composer's Google access tokens. A small
/// forwarding server (scripts/test-support/platform-forwarder.py) checks the signature with
/// botocore, the token against the key it was granted for, and the envelope, then forwards
/// to the real Airflow servers.
@Suite("Managed platforms: MWAA and Cloud Composer sign-in", .serialized, .oneAtATimeOnTheAirflowServers)
struct PlatformSignInTests {
    static let accessKey = "AKIASTRATATEST000001"
    static let secretKey = "strata/test/secret/key/s3cr3t-0000000000"
    static let region = "eu-west-1"
    static let environment = "StrataTestEnvironment"

    /// A running forwarder in front of `airflow`, with the files it needs.
    final class Forwarder: @unchecked Sendable {
        let process: Process
        let port: Int
        let directory: TemporaryDirectory
        var url: String { "http://127.0.0.1:\(port)" }
        var log: String { (try? String(contentsOf: directory.url.appendingPathComponent("refusals.log"), encoding: .utf8)) ?? "" }
        var keyFile: URL { directory.url.appendingPathComponent("service-account.json") }

        init(inFrontOf front: RealAirflow) throws {
            directory = try TemporaryDirectory("strata-forwarder")
            port = try FreePort.pick()
            // An RSA key pair for the Google service account: the forwarder gets the public half.
            try Self.run("/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                              "-out", directory.url.appendingPathComponent("key.pem").path])
            try Self.run("/usr/bin/openssl", ["pkey", "-in", directory.url.appendingPathComponent("key.pem").path, "-pubout",
                                              "-out", directory.url.appendingPathComponent("public.pem").path])
            let privateKey = try String(contentsOf: directory.url.appendingPathComponent("key.pem"), encoding: .utf8)
            var key = JSONObject()
            for (name, value) in [("type", "service_account"), ("project_id", "strata-test"), ("private_key_id", "k1"),
                                  ("private_key", privateKey), ("client_email", "strata@strata-test.iam.gserviceaccount.com"),
                                  ("client_id", "1"), ("token_uri", "http://127.0.0.1:\(port)/token")] {
                key[name] = .string(value)
            }
            try JSONValue.object(key).pythonDumps().write(to: directory.url.appendingPathComponent("service-account.json"),
                                                          atomically: true, encoding: .utf8)
            // Airflow 3's virtualenv has botocore and cryptography, which the forwarder checks with.
            let python = URL(fileURLWithPath: try RealAirflow.airflow3().binary).deletingLastPathComponent()
                .appendingPathComponent("python").path
            process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [Fixtures.repositoryRoot.appendingPathComponent("scripts/test-support/platform-forwarder.py").path,
                                 "--port", String(port), "--upstream", front.url, "--upstream-version", front.version == .v2 ? "1" : "2",
                                 "--user", front.user, "--password", front.password, "--aws-access-key", PlatformSignInTests.accessKey,
                                 "--aws-secret-key", PlatformSignInTests.secretKey, "--region", PlatformSignInTests.region,
                                 "--environment", PlatformSignInTests.environment,
                                 "--google-public-key", directory.url.appendingPathComponent("public.pem").path,
                                 "--log", directory.url.appendingPathComponent("refusals.log").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 where !FreePort.isListening(port) { Thread.sleep(forTimeInterval: 0.1) }
        }

        /// Starts one, set up and waited for on a thread of its own (key generation and the
        /// readiness wait block).
        static func start(inFrontOf front: RealAirflow) async throws -> Forwarder {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread { continuation.resume(with: Result { try Forwarder(inFrontOf: front) }) }
            }
        }

        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            directory.remove()
        }

        static func run(_ tool: String, _ arguments: [String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
    }

    static func mwaaDeployment(_ airflow: RealAirflow, _ forwarder: Forwarder, secretKey: String = secretKey,
                               environment: String = environment) -> Deployment {
        airflow.deployment(signIn: .mwaa(environment: environment, region: region), extraEnvironment: [
            "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_ENDPOINT_URL_MWAA": forwarder.url,
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
        ])
    }

    @Test func mwaaReadsAndWritesThroughInvokeRestApi() async throws {
        let airflow = try RealAirflow.airflow2()
        let forwarder = try await Forwarder.start(inFrontOf: airflow)
        defer { forwarder.stop() }
        let id = RealAirflow.unique("mwaa")
        try await airflow.createConnection(id, ["conn_type": .string("http"), "host": .string("old.example"),
                                                "password": .string("pw-s3cr3t"), "extra": .string(#"{"region": "eu"}"#)])
        let tier = try airflow.tier(Self.mwaaDeployment(airflow, forwarder))
        let snapshot = try await tier.load()
        let record = try #require(snapshot.records.first { $0.name == id }, "\(forwarder.log)")
        #expect(record.hiddenFields.names == ["password"])
        guard case .present(.connection(var connection)) = record.state else { Issue.record("\(record.state)"); return }
        #expect(connection.extra == #"{"region": "eu"}"#, "the per-connection GET went through InvokeRestApi too")

        let writer = AirflowAPITierWriter(tier: tier)
        connection.host = "new.example"
        _ = try await writer.apply(.set(SecretKey(.connection, id), .connection(connection), form: .fields), expecting: record.state)
        let stored = try #require(try await airflow.storedConnection(id))
        #expect(stored["host"] == .string("new.example"))
        #expect(stored["password"] == .string("pw-s3cr3t"))
        #expect(forwarder.log.isEmpty, "every request was signed and enveloped as MWAA requires: \(forwarder.log)")
    }

    @Test func mwaaSaysWhenAWSRefusesTheCredentialsOrHasNoSuchEnvironment() async throws {
        let airflow = try RealAirflow.airflow2()
        let forwarder = try await Forwarder.start(inFrontOf: airflow)
        defer { forwarder.stop() }
        let wrongKey = try airflow.tier(Self.mwaaDeployment(airflow, forwarder, secretKey: "wrong/s3cr3t/key"))
        let refused = await #expect(throws: TierError.self) { try await wrongKey.load() }
        #expect(refused?.message.contains("AWS refused the deployment's credentials for MWAA (InvalidSignatureException)") == true,
                "\(refused?.message ?? "")")
        #expect(refused?.message.contains("s3cr3t") == false)
        #expect(forwarder.log.contains("signature"))

        let missing = try airflow.tier(Self.mwaaDeployment(airflow, forwarder, environment: "NoSuchEnvironment"))
        let notFound = await #expect(throws: TierError.self) { try await missing.load() }
        #expect(notFound?.message.contains("MWAA has no environment 'NoSuchEnvironment' in eu-west-1") == true, "\(notFound?.message ?? "")")
    }

    @Test func composerTakesAGoogleAccessTokenFromTheDeploymentsCredentials() async throws {
        let airflow = try RealAirflow.airflow3()
        let forwarder = try await Forwarder.start(inFrontOf: airflow)
        defer { forwarder.stop() }
        let id = RealAirflow.unique("composer")
        try await airflow.createVariable(id, "through composer")
        var deployment = airflow.deployment(signIn: .google, extraEnvironment: ["GOOGLE_APPLICATION_CREDENTIALS": forwarder.keyFile.path])
        deployment.api?.baseURL = URL(string: forwarder.url)!
        let snapshot = try await airflow.tier(deployment).load()
        #expect(snapshot.records.first { $0.name == id }?.state == .present(.variable("through composer")), "\(forwarder.log)")
        #expect(forwarder.log.isEmpty, "\(forwarder.log)")
    }

    @Test func composerSaysWhenTheGoogleCredentialsAreRefused() async throws {
        let airflow = try RealAirflow.airflow3()
        let forwarder = try await Forwarder.start(inFrontOf: airflow)
        let other = try await Forwarder.start(inFrontOf: airflow) // its key is not the one the first forwarder trusts
        defer { forwarder.stop(); other.stop() }
        var key = try #require(try JSONValue.parsePython(String(contentsOf: other.keyFile, encoding: .utf8)).objectValue)
        key["token_uri"] = .string("\(forwarder.url)/token")
        try JSONValue.object(key).pythonDumps().write(to: other.keyFile, atomically: true, encoding: .utf8)
        var deployment = airflow.deployment(signIn: .google, extraEnvironment: ["GOOGLE_APPLICATION_CREDENTIALS": other.keyFile.path])
        deployment.api?.baseURL = URL(string: forwarder.url)!
        let error = await #expect(throws: TierError.self) { try await airflow.tier(deployment).load() }
        #expect(error?.message.contains("cannot get a Google access token for api.google_auth") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("PRIVATE KEY") == false)
    }
}
