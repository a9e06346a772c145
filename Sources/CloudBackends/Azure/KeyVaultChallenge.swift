import Foundation

/// What a Key Vault 401 says about how to authenticate: the `WWW-Authenticate: Bearer
/// authorization="…/{tenant}", resource="…"` (or `authorization_uri`, `scope`) header.
struct KeyVaultChallenge: Sendable, Hashable {
    var tenantID: String?
    /// The OAuth 2 scope to ask for, e.g. https://vault.azure.net/.default.
    var scope: String

    init?(header: String?) {
        guard let header, header.lowercased().hasPrefix("bearer") else { return nil }
        var parameters: [String: String] = [:]
        let pattern = try! NSRegularExpression(pattern: #"([A-Za-z_]+)\s*=\s*"([^"]*)""#)
        let range = NSRange(header.startIndex..., in: header)
        for match in pattern.matches(in: header, range: range) {
            guard let key = Range(match.range(at: 1), in: header), let value = Range(match.range(at: 2), in: header) else { continue }
            parameters[header[key].lowercased()] = String(header[value])
        }
        if let scope = parameters["scope"], !scope.isEmpty {
            self.scope = scope
        } else if let resource = parameters["resource"], !resource.isEmpty {
            self.scope = resource.hasSuffix("/") ? resource + ".default" : resource + "/.default"
        } else {
            return nil
        }
        let authorization = parameters["authorization"] ?? parameters["authorization_uri"]
        tenantID = authorization.flatMap { URL(string: $0)?.pathComponents.last { $0 != "/" } }
    }

    /// Whether the scope's host is the vault's domain (a `*.vault.azure.net` vault and `vault.azure.net`).
    func matches(vaultHost: String) -> Bool {
        guard let resourceHost = URL(string: scope)?.host?.lowercased() else { return false }
        return vaultHost.lowercased().hasSuffix("." + resourceHost)
    }
}
