import Foundation
import AirflowAPI
import Editing
import Engine
import RemoteSupport
import FuzzSupport

/// Airflow REST API replies (collection pages, single entries, `/auth/token`, MWAA's
/// InvokeRestApi envelopes) from a scripted server. The input's first byte picks the case:
/// 0 API v2 load with a token, 1 API v1 load (each connection read on its own), 2 API v2 load
/// signing in at `/auth/token`, 3 one entry read for editing, 4 an update (read, PATCH, read
/// back), 5 an API v1 load through MWAA; the rest is the script. Checks: no crash, only
/// `TierError`s from `load()` and `EditError`s from the writer, a hidden password is never a
/// value, a bounded number of requests.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAirflowAPIReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let (choice, script) = FuzzInput.choice(data, size, of: 6)
    let provider = AirflowAPITierProvider(transport: { _ in ScriptedTransport(script: script) }, retry: oneQuickRetry,
                                          concurrency: 1, processEnvironment: { _ in nil },
                                          homeDirectory: URL(fileURLWithPath: "/nonexistent-fuzz-home"))
    let deployment: Deployment
    switch choice {
    case 1: deployment = airflow2
    case 2: deployment = withPassword
    case 5: deployment = mwaa
    default: deployment = airflow3
    }
    runBlocking {
        let tier: AirflowAPITier
        do {
            tier = try provider.makeTier(for: deployment)
        } catch {
            FuzzCheck.fail("the API tier cannot be made (\(type(of: error)))")
        }
        switch choice {
        case 3:
            do { _ = try await AirflowAPITierWriter(tier: tier).read(.connection("fuzz")) } catch {
                FuzzCheck.requireError(error, is: EditError.self, "writer read")
            }
        case 4:
            let change = TierChange.set(.connection("fuzz"), .connection(Connection(connType: "http", host: "new.example")), form: .fields)
            do {
                _ = try await AirflowAPITierWriter(tier: tier).apply(change, expecting: .present(.connection(Connection(connType: "http"))))
            } catch {
                FuzzCheck.requireError(error, is: EditError.self, "writer apply")
            }
        default:
            do {
                let snapshot = try await tier.load()
                for record in snapshot.records where record.hiddenFields.hides("password") {
                    if case .present(.connection(let connection)) = record.state {
                        FuzzCheck.require(connection.password == nil, "a hidden password is held as a value")
                    }
                }
            } catch {
                FuzzCheck.requireError(error, is: TierError.self, "API load()")
            }
        }
    }
    return 0
}

/// The deployments, made once: only the server's replies vary.
private let airflow3 = apiDeployment(.v3, signIn: .token(variable: "FUZZ_TOKEN"))
private let airflow2 = apiDeployment(.v2, signIn: .token(variable: "FUZZ_TOKEN"))
private let withPassword = apiDeployment(.v3, signIn: .password(username: "admin", variable: "FUZZ_TOKEN"))
private let mwaa = apiDeployment(.v2, signIn: .mwaa(environment: "FuzzEnvironment", region: "eu-west-1"))

private func apiDeployment(_ version: AirflowVersion, signIn: AirflowAPISettings.SignIn) -> Deployment {
    let environment = DeploymentEnvironment([
        "FUZZ_TOKEN": "fuzz-token", "AWS_ACCESS_KEY_ID": "AKIAFUZZ", "AWS_SECRET_ACCESS_KEY": "fuzz-secret",
        "AWS_ENDPOINT_URL_MWAA": "http://mwaa.fuzz", "HOME": "/nonexistent-fuzz-home",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent-fuzz-home/c", "AWS_CONFIG_FILE": "/nonexistent-fuzz-home/f",
    ])
    var deployment = Deployment(name: "fuzz", airflowVersion: version, environment: environment)
    deployment.api = AirflowAPISettings(baseURL: URL(string: "http://airflow.fuzz:8080")!, signIn: signIn)
    return deployment
}

/// The executable's entry point: libFuzzer's driver (see `FuzzDriver`).
@_cdecl("fuzz_airflow_api_replies_main")
public func fuzzAirflowAPIRepliesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { fuzzAirflowAPIReplies($0, $1) }
}

/// One retry without a real wait (see fuzz-vault-replies).
private let oneQuickRetry = RetryPolicy(maxAttempts: 2, baseDelay: .zero, maxDelay: .milliseconds(1), jitter: false)
