import Engine
import Foundation
import Testing

/// The `api:` block of a deployment: where its Airflow REST API is and how to sign in. A
/// secret is never in the workspace file, only the name of the variable that holds it.
@Suite("Workspace: a deployment's api block")
struct WorkspaceAPIBlockTests {
    static func parse(_ api: String) throws -> Deployment {
        let text = "deployments:\n  - name: prod\n    airflow: 3\n    api:\n" + api.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n") + "\n"
        let workspace = try Workspace.parse(text, at: URL(fileURLWithPath: "/w/strata.yaml"), processEnvironment: [:])
        return try #require(workspace.deployments.first)
    }

    static func error(_ api: String) -> WorkspaceError? {
        do { _ = try parse(api); return nil } catch let error as WorkspaceError { return error } catch { return nil }
    }

    @Test func eachWayToSignInIsRead() throws {
        let token = try Self.parse("url: https://example.astronomer.run/d1234/\ntoken_env: AIRFLOW_API_TOKEN")
        #expect(token.api?.baseURL.absoluteString == "https://example.astronomer.run/d1234", "no trailing slash")
        #expect(token.api?.signIn == .token(variable: "AIRFLOW_API_TOKEN"))
        #expect(token.api?.hostText == "example.astronomer.run")
        let password = try Self.parse("url: http://airflow.internal:8080\nusername: admin\npassword_env: AIRFLOW_API_PASSWORD")
        #expect(password.api?.signIn == .password(username: "admin", variable: "AIRFLOW_API_PASSWORD"))
        #expect(password.api?.hostText == "airflow.internal:8080")
        let mwaa = try Self.parse("url: https://abc.c1.us-east-1.airflow.amazonaws.com\nmwaa: {name: MyEnv, region: us-east-1}")
        #expect(mwaa.api?.signIn == .mwaa(environment: "MyEnv", region: "us-east-1"))
        let google = try Self.parse("url: https://abc-dot-us-central1.composer.googleusercontent.com\ngoogle_auth: true")
        #expect(google.api?.signIn == .google)
    }

    @Test(arguments: [
        ("url: ftp://h\ntoken_env: T", "must be an http:// or https:// URL"),
        ("url: https://admin:s3cr3t@h\ntoken_env: T", "must not carry credentials"),
        ("url: https://h?x=1\ntoken_env: T", "must not have a query"),
        ("token_env: T", "has no `url`"),
        ("url: https://h", "exactly one way to sign in, not 0"),
        ("url: https://h\ntoken_env: T\ngoogle_auth: true", "exactly one way to sign in, not 2"),
        ("url: https://h\nusername: admin", "both `username` and `password_env`"),
        ("url: https://h\ntoken_env: eyJhbGciOiJIUzUxMiJ9.s3cr3t", "must name an environment variable"),
        ("url: https://h\nmwaa: {name: E}", "needs `name` and `region`"),
        ("url: https://h\ntoken: x", "unknown key 'token'"),
    ])
    func aBlockStrataCannotUseSaysWhatToWrite(api: String, problem: String) throws {
        let error = try #require(Self.error(api))
        #expect(error.problem.contains(problem), "\(error.problem)")
        #expect(!error.description.contains("s3cr3t"), "a secret pasted where a name belongs is never echoed")
        #expect(error.line != nil)
    }
}
