import Engine
import Foundation

extension ImportReader {
    /// What `astro dev start` loads from an `airflow_settings.yaml`: variables through `airflow
    /// variables set`, connections through `airflow connections add`, as the metastore tier of
    /// an Astro project reads them.
    static func astroItems(text: String, kinds: Set<SecretKind>, path: String, origin: String) throws -> ImportedFile {
        let settings: AirflowSettingsFile
        do {
            settings = try AirflowSettingsFile.parse(text, path: path)
        } catch let error as TierError {
            throw TransferError(error.message)
        } catch {
            throw TransferError("\(path): cannot be read as airflow_settings.yaml")
        }
        let snapshot = AirflowSettingsTier(fileURL: URL(fileURLWithPath: path), dialect: .core).snapshot(of: settings)
        var result = CopyItems()
        for record in snapshot.records where kinds.contains(record.kind) {
            let key = SecretKey(record.kind, record.name)
            switch record.state {
            case .present(.variable(let text)):
                result.items.append(CopyItem(key: key, value: .variable(text, description: nil), origin: origin))
            case .present(.connection(let connection)):
                result.items.append(CopyItem(key: key, value: .connection(connection), origin: origin))
            case .unreadable(let reason):
                let line = record.metadataValue(forKey: "line").map { " (line \($0))" } ?? ""
                result.problems.append(CopyProblem(key: key, reason: reason + line))
            default:
                result.problems.append(CopyProblem(key: key, reason: "astro dev start would not load it"))
            }
        }
        return ImportedFile(format: .astro, items: result)
    }
}
