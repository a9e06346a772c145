import Foundation

extension AirflowAPISettings {
    /// Reads a deployment's `api:` block: `url` and exactly one way to sign in — `token_env`,
    /// `username` with `password_env`, `mwaa: {name, region}` or `google_auth: true`.
    static func read<Node: WorkspaceNode>(_ node: Node, reader: YAMLReader<Node>, deployment name: String) throws -> AirflowAPISettings {
        let context = "api of deployment '\(name)'"
        let map = try reader.mapping(node, what: context)
        try reader.rejectUnknownKeys(map, allowed: ["url", "token_env", "username", "password_env", "mwaa", "google_auth"], in: context)
        guard let urlNode = map["url"] else {
            throw reader.error(node, "deployment '\(name)': `api` has no `url`",
                               fix: "add `url:` with the Airflow base URL, what the UI is served from")
        }
        let urlText = try reader.string(urlNode, what: "api.url")
        let baseURL: URL
        switch checkBaseURL(urlText) {
        case .success(let url): baseURL = url
        case .failure(let problem):
            // The URL is not shown: a URL with credentials in it is exactly what is refused.
            throw reader.error(urlNode, "deployment '\(name)': api.url \(problem)",
                               fix: "write e.g. `url: https://example.astronomer.run/d1234`")
        }
        var ways: [SignIn] = []
        if let tokenNode = map["token_env"] {
            ways.append(.token(variable: try variableName(tokenNode, reader: reader, what: "api.token_env", deployment: name)))
        }
        if map["username"] != nil || map["password_env"] != nil {
            guard let userNode = map["username"], let passwordNode = map["password_env"] else {
                throw reader.error(node, "deployment '\(name)': api needs both `username` and `password_env`",
                                   fix: "name the user and the environment variable that holds its password")
            }
            let user = try reader.string(userNode, what: "api.username")
            guard !user.isEmpty else { throw reader.error(userNode, "deployment '\(name)': api.username is empty", fix: "name the Airflow user") }
            ways.append(.password(username: user, variable: try variableName(passwordNode, reader: reader, what: "api.password_env", deployment: name)))
        }
        if let mwaaNode = map["mwaa"] {
            let mwaa = try reader.mapping(mwaaNode, what: "api.mwaa of deployment '\(name)'")
            try reader.rejectUnknownKeys(mwaa, allowed: ["name", "region"], in: "api.mwaa of deployment '\(name)'")
            guard let environmentNode = mwaa["name"], let regionNode = mwaa["region"] else {
                throw reader.error(mwaaNode, "deployment '\(name)': api.mwaa needs `name` and `region`",
                                   fix: "write `mwaa: {name: MyAirflowEnvironment, region: us-east-1}`")
            }
            let environment = try reader.string(environmentNode, what: "api.mwaa.name")
            let region = try reader.string(regionNode, what: "api.mwaa.region")
            guard !environment.isEmpty, isRegion(region) else {
                throw reader.error(mwaaNode, "deployment '\(name)': api.mwaa needs a non-empty `name` and a region like us-east-1",
                                   fix: "write `mwaa: {name: MyAirflowEnvironment, region: us-east-1}`")
            }
            ways.append(.mwaa(environment: environment, region: region))
        }
        if let googleNode = map["google_auth"], try reader.bool(googleNode, what: "google_auth") {
            ways.append(.google)
        }
        guard ways.count == 1, let signIn = ways.first else {
            throw reader.error(node, "deployment '\(name)': api needs exactly one way to sign in, not \(ways.count)",
                               fix: "give one of `token_env`, `username` with `password_env`, `mwaa` or `google_auth: true`")
        }
        return AirflowAPISettings(baseURL: baseURL, signIn: signIn)
    }

    private static func variableName<Node: WorkspaceNode>(_ node: Node, reader: YAMLReader<Node>, what: String,
                                                          deployment name: String) throws -> String {
        let text = try reader.string(node, what: what)
        let valid = !text.isEmpty && text.utf8.count <= 255 && text.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        } && !(text.first?.isNumber ?? true)
        guard valid else {
            // Never echo it: a value pasted where a name belongs is the secret itself.
            throw reader.error(node, "deployment '\(name)': \(what) must name an environment variable (letters, digits, _), not hold the secret",
                               fix: "write e.g. `\(what.split(separator: ".").last ?? ""): AIRFLOW_API_TOKEN` and export the secret in that variable")
        }
        return text
    }

    private static func isRegion(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.unicodeScalars.allSatisfy { ($0.isASCII && $0.properties.isLowercase) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
