import Foundation
import Engine
import PythonCompat
import RemoteSupport

/// Signs requests to one AWS service with a deployment's AWS credentials, found the way boto3
/// finds them (the chain the AWS tiers use: env keys, shared files, profiles, assumed roles).
public struct AWSRequestSigner: Sendable {
    /// The service endpoint: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's, or the public one.
    public let endpoint: URL
    public let region: String
    let service: AWSService
    let credentials: AWSCredentialSource
    let clock: any WallClock

    /// A signer for Amazon MWAA (`airflow`) in `region`, for its `InvokeRestApi`.
    public static func mwaa(deployment: Deployment, region: String, transport: any HTTPTransport, retry: RetryPolicy = .standard,
                            clock: any WallClock = SystemClock(),
                            homeDirectory: URL = FileManager.default.homeDirectoryForCurrentUser) throws -> AWSRequestSigner {
        var kwargs = JSONObject()
        kwargs["region_name"] = .string(region)
        let configuration = BackendConfiguration(classPath: "mwaa", family: nil, kwargs: kwargs, sources: ["api.mwaa"])
        let settings: AWSBackendSettings
        do {
            settings = try AWSSettingsReader(configuration: configuration, deployment: deployment, homeDirectory: homeDirectory)
                .resolve(service: .mwaa)
        } catch let error as AWSSetupError {
            throw TierError(error.message)
        }
        let credentials = AWSCredentialSource(plan: settings.credentials, role: settings.role, transport: transport,
                                              retry: retry, clock: clock)
        return AWSRequestSigner(endpoint: settings.endpoint, region: settings.region, service: .mwaa, credentials: credentials,
                                clock: clock)
    }

    /// Adds SigV4 headers (and the session token) to `request`.
    public func sign(_ request: inout HTTPRequest) async throws {
        let keys = try await credentials.current()
        SigV4Signer(service: service.signingName, region: region).sign(&request, credentials: keys, date: clock.now())
    }

    /// Drops cached temporary credentials, so that the next request assumes the role again.
    public func invalidate() async { await credentials.invalidate() }
}
