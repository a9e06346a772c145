import Foundation
import Engine

extension TLSSettings {
    /// The PEM bundle a deployment's Python clients trust besides the system roots:
    /// REQUESTS_CA_BUNDLE or SSL_CERT_FILE from its environment, checked to be readable.
    /// Throws a `TierError` for a bundle that cannot be read: verification is never turned off.
    public static func caBundlePath(for deployment: Deployment) throws -> String? {
        for name in ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"] {
            guard let value = deployment.environment[name], !value.isEmpty else { continue }
            let path = deployment.localPath(value).path
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw TierError("\(name) names \(value), which cannot be read; Strata will not turn certificate checks off. "
                                + "Point it at the PEM bundle of your private CA.")
            }
            return path
        }
        return nil
    }
}
