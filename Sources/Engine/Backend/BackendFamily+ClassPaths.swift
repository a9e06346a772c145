extension BackendFamily {
    /// The name users know the service by: "AWS Secrets Manager", "HashiCorp Vault"…
    public var displayName: String {
        switch self {
        case .vault: return "HashiCorp Vault"
        case .secretsManager: return "AWS Secrets Manager"
        case .ssmParameterStore: return "AWS SSM Parameter Store"
        case .gcpSecretManager: return "Google Cloud Secret Manager"
        case .azureKeyVault: return "Azure Key Vault"
        case .localFilesystem: return "local files"
        }
    }

    /// A short tag for narrow columns: "Vault", "SM", "SSM", "GCP", "Azure", "files".
    public var shortName: String {
        switch self {
        case .vault: return "Vault"
        case .secretsManager: return "SM"
        case .ssmParameterStore: return "SSM"
        case .gcpSecretManager: return "GCP"
        case .azureKeyVault: return "Azure"
        case .localFilesystem: return "files"
        }
    }

    /// The class path current Airflow and providers document for this backend.
    public var classPath: String {
        switch self {
        case .vault: return "airflow.providers.hashicorp.secrets.vault.VaultBackend"
        case .secretsManager: return "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
        case .ssmParameterStore:
            return "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
        case .gcpSecretManager:
            return "airflow.providers.google.cloud.secrets.secret_manager.CloudSecretManagerBackend"
        case .azureKeyVault: return "airflow.providers.microsoft.azure.secrets.key_vault.AzureKeyVaultBackend"
        case .localFilesystem: return "airflow.secrets.local_filesystem.LocalFilesystemBackend"
        }
    }

    /// The provider distribution that ships the class (`nil` for Airflow core).
    public var providerPackage: String? {
        switch self {
        case .vault: return "apache-airflow-providers-hashicorp"
        case .secretsManager, .ssmParameterStore: return "apache-airflow-providers-amazon"
        case .gcpSecretManager: return "apache-airflow-providers-google"
        case .azureKeyVault: return "apache-airflow-providers-microsoft-azure"
        case .localFilesystem: return nil
        }
    }
}

/// What a configured class path is, as far as Strata can tell without importing it.
public struct BackendClassRecognition: Sendable, Hashable {
    /// The family the class belongs to, or `nil` when Strata does not know it or Airflow cannot
    /// import it on this version.
    public var family: BackendFamily?
    /// Why the path is not the current one, or why it cannot work ("deprecated alias…").
    public var warnings: [String]
    /// Whether Airflow certainly fails to import the class, and so does not start.
    public var preventsStartup: Bool

    public init(family: BackendFamily?, warnings: [String] = [], preventsStartup: Bool = false) {
        self.family = family
        self.warnings = warnings
        self.preventsStartup = preventsStartup
    }
}

extension BackendFamily {
    /// Airflow 2's deprecated `airflow.contrib.secrets` aliases, which re-export the provider
    /// classes (with a `RemovedInAirflow3Warning`); Airflow 3 has no `airflow.contrib`.
    static let airflow2ContribAliases: [String: BackendFamily] = [
        "airflow.contrib.secrets.hashicorp_vault.VaultBackend": .vault,
        "airflow.contrib.secrets.aws_secrets_manager.SecretsManagerBackend": .secretsManager,
        "airflow.contrib.secrets.aws_systems_manager.SystemsManagerParameterStoreBackend": .ssmParameterStore,
        "airflow.contrib.secrets.gcp_secrets_manager.CloudSecretManagerBackend": .gcpSecretManager,
        "airflow.contrib.secrets.gcp_secrets_manager.CloudSecretsManagerBackend": .gcpSecretManager,
        "airflow.contrib.secrets.azure_key_vault.AzureKeyVaultBackend": .azureKeyVault,
    ]

    /// Recognises a configured class path (`[secrets] backend`) for a deployment's Airflow version.
    ///
    /// Airflow imports the value verbatim (`import_string`), so only an exact path works; a path
    /// that differs only by surrounding whitespace or letter case fails to import, and Airflow
    /// then refuses to start.
    public static func recognise(classPath: String, version: AirflowVersion) -> BackendClassRecognition {
        if let family = allCases.first(where: { $0.classPath == classPath }) {
            return BackendClassRecognition(family: family)
        }
        if let family = airflow2ContribAliases[classPath] {
            switch version {
            case .v2:
                return BackendClassRecognition(family: family, warnings: [
                    "\(classPath) is Airflow 2's deprecated alias of \(family.classPath); it works on "
                        + "Airflow 2 but is gone in Airflow 3 — configure \(family.classPath) instead.",
                ])
            case .v3:
                return BackendClassRecognition(family: nil, warnings: [
                    "\(classPath) is an Airflow 2 alias; Airflow 3 has no airflow.contrib, so the "
                        + "import fails and Airflow does not start. Configure \(family.classPath).",
                ], preventsStartup: true)
            }
        }
        let trimmed = classPath.trimmingASCIIWhitespace
        if trimmed != classPath, let family = allCases.first(where: { $0.classPath == trimmed }) {
            return BackendClassRecognition(family: nil, warnings: [
                "The class path of \(family.displayName) has surrounding whitespace; Airflow imports "
                    + "the value as written, the import fails and Airflow does not start. Remove the spaces.",
            ], preventsStartup: true)
        }
        if let family = allCases.first(where: { $0.classPath.lowercased() == trimmed.lowercased() }) {
            return BackendClassRecognition(family: nil, warnings: [
                "\(classPath) differs from \(family.classPath) only in letter case; Python imports are "
                    + "case-sensitive, the import fails and Airflow does not start.",
            ], preventsStartup: true)
        }
        return BackendClassRecognition(family: nil, warnings: [
            "Strata does not know the secrets backend class \(classPath), so it cannot show what it "
                + "holds or the names it looks up; the other tiers are still shown. (If Airflow cannot "
                + "import it either, Airflow refuses to start.)",
        ])
    }
}

private extension String {
    var trimmingASCIIWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
