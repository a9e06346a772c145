import Foundation
import Testing
import Engine
import RemoteSupport
@testable import CloudBackends

/// Every way the GCP tier finds credentials, and how refused credentials read.
@Suite("GCP credentials")
struct GoogleCredentialTests {
    let doubles: CloudDoubles
    let project = CloudDoubles.uniqueName("cred")

    init() throws { doubles = try CloudDoubles.start() }

    func seedOne() async throws {
        try await doubles.gcpControl("seed", ["project": project, "secrets": ["airflow-variables-region": "eu-west-1"]])
    }

    func loadsRegion(_ deployment: Deployment, provider: CloudTierProvider = CloudFixtures.provider()) async throws {
        let snapshot = try await CloudFixtures.source(deployment, provider: provider).load()
        #expect(snapshot.record(.variable, "airflow-variables-region")?.state == .present(.variable("eu-west-1")))
    }

    /// A deployment without gcp_keyfile_dict, so Application Default Credentials apply.
    func adcDeployment(kwargs: [String: Any] = [:], env: [String: String]) throws -> Deployment {
        var deployment = try CloudFixtures.gcpDeployment(doubles, project: project, env: env)
        var all: [String: Any] = ["project_id": project]
        for (key, value) in kwargs { all[key] = value }
        deployment.environment.set("AIRFLOW__SECRETS__BACKEND_KWARGS", CloudFixtures.kwargsJSON(all), origin: .inline)
        return deployment
    }

    @Test func aKeyPathRelativeToTheProjectFolderIsRead() async throws {
        try await seedOne()
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(CloudDoubles.uniqueName("astro"), isDirectory: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("include"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: doubles.gcpValue("service_account_key"),
                                         toPath: folder.appendingPathComponent("include/key.json").path)
        var deployment = try adcDeployment(kwargs: ["gcp_key_path": "include/key.json"], env: [:])
        deployment.baseDirectory = folder
        try await loadsRegion(deployment)
    }

    @Test func googleApplicationCredentialsIsUsedWhenNoKeyIsConfigured() async throws {
        try await seedOne()
        try await loadsRegion(try adcDeployment(env: ["GOOGLE_APPLICATION_CREDENTIALS": doubles.gcpValue("service_account_key")]))
    }

    @Test func gcloudsApplicationDefaultUserCredentialsAreUsed() async throws {
        try await seedOne()
        let home = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(CloudDoubles.uniqueName("home"))
        let gcloud = home.appendingPathComponent(".config/gcloud")
        try FileManager.default.createDirectory(at: gcloud, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.copyItem(atPath: doubles.gcpValue("authorized_user"),
                                         toPath: gcloud.appendingPathComponent("application_default_credentials.json").path)
        try await loadsRegion(try adcDeployment(env: ["HOME": home.path]))
    }

    @Test func theMetadataServerServesWorkloadIdentityTokensAndTheProject() async throws {
        try await doubles.gcpControl("seed", ["project": "strata-test", "secrets": ["airflow-variables-wi-\(project)": "on"]])
        var deployment = try adcDeployment(env: ["GCE_METADATA_HOST": doubles.gcpValue("metadata_host")])
        // The guide's Workload Identity setup names the project; here the metadata server supplies it.
        deployment.environment.set("AIRFLOW__SECRETS__BACKEND_KWARGS", CloudFixtures.kwargsJSON([
            "connections_prefix": "airflow-connections", "variables_prefix": "airflow-variables"]), origin: .inline)
        let source = try CloudFixtures.source(deployment)
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "airflow-variables-wi-\(project)")?.state == .present(.variable("on")))
        #expect(source.descriptor.detail.contains("metadata server"))
    }

    @Test func noCredentialsAtAllListsWhatToSet() async throws {
        let deployment = try adcDeployment(env: ["GCE_METADATA_HOST": "127.0.0.1:1"])
        let message = try #require(await CloudFixtures.message { _ = try await CloudFixtures.source(deployment).load() })
        #expect(message.contains("no Google credentials found"))
        #expect(message.contains("GOOGLE_APPLICATION_CREDENTIALS"))
    }

    @Test func tokensAreCachedAcrossLoads() async throws {
        try await seedOne()
        let log = RequestLedger()
        let source = try CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project),
                                              provider: CloudFixtures.provider(log: log))
        _ = try await source.load()
        _ = try await source.load()
        #expect(log.count { $0.url.path == "/token" } == 1)
        #expect(log.count { $0.url.path.hasSuffix(":access") } == 2)
    }

    @Test func aTokenTheServiceNoLongerAcceptsIsReplacedOnce() async throws {
        try await seedOne()
        let log = RequestLedger()
        let source = try CloudFixtures.source(try CloudFixtures.gcpDeployment(doubles, project: project),
                                              provider: CloudFixtures.provider(log: log))
        _ = try await source.load()
        try await doubles.gcpControl("fault", ["project": project, "kind": "revoke"])
        let snapshot = try await source.load()
        #expect(snapshot.record(.variable, "airflow-variables-region")?.state == .present(.variable("eu-west-1")))
        #expect(log.count { $0.url.path == "/token" } == 2)
    }

    @Test func aKeyThatIsNotTheAccountsKeyIsRefusedWithoutShowingIt() async throws {
        try await seedOne()
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project, keyFile: doubles.gcpValue("wrong_key"))
        let message = try #require(await CloudFixtures.message { _ = try await CloudFixtures.source(deployment).load() })
        #expect(message.contains("invalid_grant"))
        #expect(message.contains("Invalid JWT Signature"))
        #expect(message.contains("strata-reader@"))
        #expect(!message.contains("PRIVATE KEY"))
        #expect(!message.contains("ya29."))
    }

    @Test func aSkewedClockIsNamedAsTheCause() async throws {
        try await seedOne()
        let provider = CloudFixtures.provider(clock: SkewedClock(offset: -2 * 3600))
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project)
        let message = try #require(await CloudFixtures.message { _ = try await CloudFixtures.source(deployment, provider: provider).load() })
        #expect(message.contains("clock"))
        #expect(message.contains("iat and exp"))
    }

    @Test func revokedUserCredentialsAskForANewLogin() async throws {
        try await seedOne()
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(CloudDoubles.uniqueName("adc"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Data(contentsOf: URL(fileURLWithPath: doubles.gcpValue("authorized_user")))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let refresh = "1//revoked-refresh-token-value"
        object["refresh_token"] = refresh
        let file = folder.appendingPathComponent("adc.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let deployment = try adcDeployment(env: ["GOOGLE_APPLICATION_CREDENTIALS": file.path])
        let message = try #require(await CloudFixtures.message { _ = try await CloudFixtures.source(deployment).load() })
        #expect(message.contains("invalid_grant"))
        #expect(message.contains("gcloud auth application-default login"))
        #expect(!message.contains(refresh))
        #expect(!message.contains(object["client_secret"] as? String ?? "?"))
    }

    @Test func unusableKeyFilesAreNamedWithWhatToFix() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(CloudDoubles.uniqueName("keys"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notJSON = folder.appendingPathComponent("broken.json")
        try Data("{not json".utf8).write(to: notJSON)
        let noKey = folder.appendingPathComponent("nokey.json")
        try Data(#"{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com"}"#.utf8).write(to: noKey)
        let badPEM = folder.appendingPathComponent("badpem.json")
        try Data(#"{"type": "service_account", "client_email": "a@b.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#.utf8).write(to: badPEM)
        // A FIFO would block a plain read forever: it is refused at once, saying what it is.
        let fifo = folder.appendingPathComponent("fifo.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let cases: [(String, String)] = [
            (fifo.path, "FIFO"),
            (notJSON.path, "is not a JSON credentials file"),
            (noKey.path, "has no private_key"),
            (badPEM.path, "is not a usable PEM RSA private key"),
            (folder.appendingPathComponent("missing.json").path, "cannot be read"),
            ("/keys/legacy.p12", "P12"),
        ]
        for (path, expected) in cases {
            let deployment = try adcDeployment(kwargs: ["gcp_key_path": path], env: [:])
            do {
                _ = try CloudFixtures.source(deployment)
                Issue.record("\(path) should be refused")
            } catch {
                let message = String(describing: error)
                #expect(message.contains(expected), "\(message)")
                #expect(message.contains("gcp_key_path"))
                #expect(!message.contains("AAAA"))
            }
        }
    }

    @Test func aKeyfileDictThatIsNotJSONSaysWhatToPaste() throws {
        let deployment = try CloudFixtures.gcpDeployment(doubles, project: project, kwargs: ["gcp_keyfile_dict": "/path/to/key.json"])
        #expect(throws: TierError.self) { try CloudFixtures.source(deployment) }
    }
}
