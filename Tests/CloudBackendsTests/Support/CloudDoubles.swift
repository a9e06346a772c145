import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Engine
import CloudBackends

/// The GCP and Azure test doubles started by scripts/services/cloud-doubles.sh: where they
/// listen, the credentials they made, and their `/__strata/` control endpoints.
struct CloudDoubles {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    let gcp: [String: Any]
    let azure: [String: Any]
    let gcpURL: String
    let azureURL: String
    let azureCAFile: String

    static func start() throws -> CloudDoubles {
        let env = ProcessInfo.processInfo.environment
        guard let dir = env["STRATA_CLOUD_DOUBLES_DIR"], let gcpURL = env["STRATA_GCP_DOUBLE_URL"],
              let azureURL = env["STRATA_AZURE_DOUBLE_URL"], let ca = env["STRATA_AZURE_DOUBLE_CA_FILE"] else {
            throw Missing(description: "the GCP/Azure test doubles are not running: STRATA_GCP_DOUBLE_URL, STRATA_AZURE_DOUBLE_URL "
                          + "and STRATA_CLOUD_DOUBLES_DIR are unset. Run scripts/test, which starts them, or "
                          + "`scripts/services/cloud-doubles.sh start && source /tmp/strata-services.env` before `swift test`.")
        }
        func details(_ file: String) throws -> [String: Any] {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw Missing(description: "\(url.path) is missing or unreadable; restart scripts/services/cloud-doubles.sh.")
            }
            return object
        }
        return CloudDoubles(gcp: try details("gcp.json"), azure: try details("azure.json"),
                            gcpURL: gcpURL, azureURL: azureURL, azureCAFile: ca)
    }

    func gcpValue(_ key: String) -> String { gcp[key] as? String ?? "" }
    func azureValue(_ key: String) -> String { azure[key] as? String ?? "" }

    /// POSTs a control request to the GCP double.
    @discardableResult
    func gcpControl(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await Self.post(gcpURL + "/__strata/" + path, body)
    }

    /// POSTs a control request to the Azure double (over its plain-HTTP control port).
    @discardableResult
    func azureControl(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await Self.post(azureValue("control_url") + "/__strata/" + path, body)
    }

    static func post(_ url: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw Missing(description: "control request \(url) failed")
        }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// A fresh project / vault name per test, so tests can run in parallel.
    static func uniqueName(_ label: String) -> String {
        "\(label)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// A clock set off from the real one, to show what clock skew does.
struct SkewedClock: WallClock {
    var offset: TimeInterval
    func now() -> Date { Date().addingTimeInterval(offset) }
}
