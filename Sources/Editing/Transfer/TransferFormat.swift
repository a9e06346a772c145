import Engine
import Foundation

/// A file format Strata exports to and imports from: Airflow's own secret-file shapes and the
/// Astro project's `airflow_settings.yaml`.
public enum TransferFormat: String, Sendable, Hashable, CaseIterable {
    /// What `airflow connections export` / `airflow variables export` write to `.json`, and
    /// `airflow connections import` / `airflow variables import` read: one kind per file.
    case json
    /// The same shape in YAML (`.yaml` / `.yml`): one kind per file.
    case yaml
    /// `KEY=value` lines (`.env`): connections as URIs, variables as text. One kind per file.
    case env
    /// An Astro project's `airflow_settings.yaml`: connections and variables in one file.
    case astro

    /// Whether one file holds both kinds (otherwise the file does not say which kind it holds,
    /// and the caller must: Airflow has a separate import command for each).
    public var holdsBothKinds: Bool { self == .astro }

    /// The format a file name implies: `airflow_settings.yaml` (or `.yml`) is `astro`; otherwise
    /// the extension (`.json`, `.yaml`/`.yml`, `.env`) as Airflow's import picks it. Nil when
    /// the name says nothing Strata reads.
    public static func implied(byPath path: String) -> TransferFormat? {
        let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        if name == "airflow_settings.yaml" || name == "airflow_settings.yml" { return .astro }
        switch try? LocalFilesystemFile.format(ofPath: path) {
        case .json?: return .json
        case .yaml?: return .yaml
        case .env?: return .env
        case nil: return nil
        }
    }

    /// The extension a file of this format should have for Airflow to read it.
    public var fileExtension: String {
        switch self {
        case .json: return "json"
        case .yaml, .astro: return "yaml"
        case .env: return "env"
        }
    }

    /// The format in the engine's local-file reader (nil for `astro`).
    var localFileFormat: LocalFilesystemFile.Format? {
        switch self {
        case .json: return .json
        case .yaml: return .yaml
        case .env: return .env
        case .astro: return nil
        }
    }
}
