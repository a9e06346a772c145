/// The AWS services Strata talks to, with what signing and endpoints need.
public enum AWSService: String, Sendable, Hashable {
    case secretsManager = "secretsmanager"
    case ssm
    case sts
    case iam
    /// Amazon MWAA, for `InvokeRestApi` (a REST-JSON call, signed as `airflow`).
    case mwaa = "airflow"

    /// The SigV4 signing name.
    public var signingName: String { rawValue }

    /// The `X-Amz-Target` prefix of the JSON protocol.
    var targetPrefix: String {
        switch self {
        case .secretsManager: return "secretsmanager"
        case .ssm: return "AmazonSSM"
        case .sts: return "AWSSecurityTokenServiceV20110615"
        case .iam: return "AWSIdentityManagementV20100508"
        case .mwaa: return "" // REST-JSON: no X-Amz-Target
        }
    }

    /// `AWS_ENDPOINT_URL_<SERVICE>`, as botocore names it from the service id.
    public var endpointVariable: String {
        switch self {
        case .secretsManager: return "AWS_ENDPOINT_URL_SECRETS_MANAGER"
        case .ssm: return "AWS_ENDPOINT_URL_SSM"
        case .sts: return "AWS_ENDPOINT_URL_STS"
        case .iam: return "AWS_ENDPOINT_URL_IAM"
        case .mwaa: return "AWS_ENDPOINT_URL_MWAA"
        }
    }

    /// The service's key in a config profile's `services` section.
    var configKey: String {
        switch self {
        case .secretsManager: return "secrets_manager"
        case .mwaa: return "mwaa"
        default: return rawValue
        }
    }

    /// The public endpoint in `region`.
    func defaultEndpoint(region: String) -> String {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        if self == .iam { return region.hasPrefix("cn-") ? "https://iam.cn-north-1.\(suffix)" : "https://iam.\(suffix)" }
        // InvokeRestApi's host prefix is `env.` (botocore's endpoint hostPrefix).
        if self == .mwaa { return "https://env.airflow.\(region).\(suffix)" }
        return "https://\(rawValue).\(region).\(suffix)"
    }

    var displayName: String {
        switch self {
        case .secretsManager: return "Secrets Manager"
        case .ssm: return "Parameter Store"
        case .sts: return "STS"
        case .iam: return "IAM"
        case .mwaa: return "MWAA"
        }
    }
}
