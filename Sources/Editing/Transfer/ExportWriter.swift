import Engine
import Foundation

/// Writes connections or variables in a file format Airflow's import (or `astro dev start`)
/// reads back exactly.
///
/// Every file is checked before it is returned: it is read back as Airflow's import reads it
/// (`ImportReader`), and an entry that would come back different is left out and reported
/// (`ExportOutput.skipped`), or — when the format forces a small loss (a description a `.env`
/// file has no place for, an empty password Airflow keeps as none) — written and reported
/// (`ExportOutput.notes`). Where Airflow's own export is lossy, Strata writes the form Airflow
/// reads back unchanged: a variable's value is always a JSON string, never re-parsed JSON.
public enum ExportWriter {
    /// The file for `items` of `kinds` in `format`. `json`, `yaml` and `env` hold one kind:
    /// `kinds` must name exactly one. `airflow` is whose import the file is for (Airflow 2's
    /// variables import reads only JSON, without descriptions). Throws `TransferError` for such
    /// a request.
    public static func write(_ items: CopyItems, format: TransferFormat, kinds: Set<SecretKind>,
                             airflow: AirflowVersion = .v3) throws -> ExportOutput {
        if kinds.isEmpty { throw TransferError("nothing to export: choose connections, variables or both") }
        if !format.holdsBothKinds, kinds.count != 1 {
            throw TransferError("Airflow's \(format.rawValue) files hold connections or variables, not both (each has its own "
                                + "import command): choose one with --conns or --vars, or use --format astro for both in one file")
        }
        if airflow == .v2, kinds.contains(.variable), format == .yaml || format == .env {
            throw TransferError("Airflow 2's variables import reads only JSON files: use --format json for variables")
        }
        var skipped = items.problems.filter { kinds.contains($0.key.kind) }
            .map { CopyProblem(key: $0.key, reason: "the source cannot give it: \($0.reason)") }
        var entries: [Entry] = []
        var seen: Set<SecretKey> = []
        for item in items.items where kinds.contains(item.key.kind) {
            if !item.hidden.isEmpty {
                let fields = item.hidden.paths.map { $0.joined(separator: ".") }.joined(separator: ", ")
                skipped.append(CopyProblem(key: item.key, reason: "the source hides \(fields) (shown as ***): exporting it would write the mask"))
                continue
            }
            guard seen.insert(item.key).inserted else {
                skipped.append(CopyProblem(key: item.key, reason: "listed more than once; the first was exported"))
                continue
            }
            switch fragment(item, format: format, airflow: airflow) {
            case .success(let text): entries.append(Entry(item: item, text: text))
            case .failure(let problem): skipped.append(CopyProblem(key: item.key, reason: problem.message))
            }
        }
        let path = "export.\(format == .astro ? "airflow_settings.yaml" : format.fileExtension)"
        // Each round drops the entries that would not read back as they are; entries do not
        // affect each other, so a second round confirms the rest.
        for _ in 0..<3 {
            let text = document(entries, format: format, kinds: kinds)
            let readBack: ImportedFile
            do {
                readBack = try ImportReader.parse(text: text, format: format, kinds: kinds, path: path, airflow: airflow)
            } catch {
                let bad = entries.filter { entry in
                    (try? ImportReader.parse(text: document([entry], format: format, kinds: kinds), format: format,
                                             kinds: kinds, path: path, airflow: airflow)) == nil
                }
                guard !bad.isEmpty else {
                    throw TransferError("the \(format.rawValue) file Strata built would not read back; nothing was written (please report this)")
                }
                let badKeys = Set(bad.map(\.item.key))
                entries.removeAll { badKeys.contains($0.item.key) }
                skipped += bad.map { CopyProblem(key: $0.item.key, reason: "\(TransferComparison.name(format)) cannot hold it: the file would not read back") }
                continue
            }
            var got: [SecretKey: EditValue] = [:]
            for item in readBack.items.items { got[item.key] = item.value }
            var problems: [SecretKey: String] = [:]
            for problem in readBack.items.problems { problems[problem.key] = problem.reason }
            var notes: [CopyProblem] = []
            var failed: [CopyProblem] = []
            for entry in entries {
                let key = entry.item.key
                guard let value = got[key] else {
                    let reason = problems[key].map { "it would not read back: \($0)" } ?? "it would not read back"
                    failed.append(CopyProblem(key: key, reason: reason))
                    continue
                }
                let comparison = TransferComparison(meant: entry.item.value, got: value, format: format, airflow: airflow)
                if comparison.lost.isEmpty {
                    notes += comparison.notes.map { CopyProblem(key: key, reason: $0) }
                } else {
                    failed.append(CopyProblem(key: key, reason: "\(TransferComparison.name(format)) cannot hold it exactly: "
                                              + "\(comparison.lost.joined(separator: ", ")) would read back differently"
                                              + (format == .env && key.kind == .connection ? "; use --format json or yaml" : "")))
                }
            }
            if failed.isEmpty {
                return ExportOutput(data: Data(text.utf8), written: entries.map(\.item.key), skipped: skipped, notes: notes)
            }
            let failedKeys = Set(failed.map(\.key))
            entries.removeAll { failedKeys.contains($0.item.key) }
            skipped += failed
        }
        throw TransferError("the \(format.rawValue) file Strata built would not read back; nothing was written (please report this)")
    }

    /// One entry of the file: the item and its text in the format.
    struct Entry {
        var item: CopyItem
        var text: String
    }
}
