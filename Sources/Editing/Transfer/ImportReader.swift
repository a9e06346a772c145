import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file of connections or variables — one Strata exported, or one `airflow connections
/// export`, `airflow variables export` or `astro dev object export` wrote — into the values
/// Airflow's own import would store, field for field (description, port, extra as written,
/// empty values). An entry Airflow's import would refuse or skip becomes a `CopyProblem`; the
/// other entries are still read.
///
/// - `json` / `yaml` / `env`: `airflow connections import` (`load_connections_dict`, then
///   `validate_key` on each id) or `airflow variables import` (`load_variables`, `{"value",
///   "description"}` objects, non-string values stored as `json.dumps(value, indent=2)`). Such a
///   file does not say which kind it holds: `kinds` must name exactly one.
/// - `astro`: what `astro dev start` loads from `airflow_settings.yaml`; `kinds` picks which.
public enum ImportReader {
    /// Files larger than this are refused (64 MiB): far beyond any real export, and reading
    /// one whole would only exhaust memory.
    public static let maximumFileSize = 64 << 20

    /// The values of `file` of the given kinds. `format` nil: implied by the file's name
    /// (`TransferFormat.implied(byPath:)`). Throws `TransferError` when the file cannot be read
    /// at all (missing, not a regular file, too large, not UTF-8, a syntax error).
    /// `airflow`: whose import to follow (Airflow 2's variables import reads only JSON and
    /// knows no descriptions; its connections import parses URIs with Airflow 2's rules).
    public static func read(file: URL, format: TransferFormat? = nil, kinds: Set<SecretKind>,
                            airflow: AirflowVersion = .v3) throws -> CopyItems {
        try readFile(file, format: format, kinds: kinds, airflow: airflow).items
    }

    /// `read`, with the format used and the notes about entries read differently from Airflow.
    public static func readFile(_ file: URL, format: TransferFormat? = nil, kinds: Set<SecretKind>,
                                airflow: AirflowVersion = .v3) throws -> ImportedFile {
        let path = file.path
        guard let format = format ?? TransferFormat.implied(byPath: path) else {
            throw TransferError("\(path): cannot tell the format from the name; name it .json, .yaml, .yml or .env, or give the format (json, yaml, env, astro)")
        }
        if !(format == .env && kinds.count == 2) { try checkKinds(kinds, format: format, path: path) }
        try checkFile(path)
        let text: String
        if format == .astro {
            do {
                text = try RegularFile.utf8String(path)
            } catch let error as RegularFileError {
                throw TransferError("\(path) \(error.check.problem ?? "cannot be read"); \(error.check.fix)")
            } catch {
                throw TransferError("\(path): is not UTF-8 text; save it as UTF-8")
            }
        } else {
            do {
                // Read as Airflow reads a secret file (strict UTF-8, universal newlines).
                text = try LocalFilesystemFile.secretFileText(path: path)
            } catch let error as LocalFilesystemError {
                throw TransferError("\(path): \(error.safeMessage)")
            }
        }
        return try parse(text: text, format: format, kinds: kinds, path: path, airflow: airflow)
    }

    /// Reads `text` (the content of a file at `path`, named in messages and as the items' origin).
    /// A `.env` file of `AIRFLOW_VAR_*` / `AIRFLOW_CONN_*` environment variables holds both
    /// kinds and is read as Airflow's environment-variables backend reads it (see
    /// `environmentFileItems`); `kinds` may then name both.
    public static func parse(text: String, format: TransferFormat, kinds: Set<SecretKind>, path: String,
                             airflow: AirflowVersion = .v3) throws -> ImportedFile {
        let origin = URL(fileURLWithPath: path).lastPathComponent
        if format == .env, !kinds.isEmpty,
           let file = environmentFileItems(text: text, kinds: kinds, path: path, origin: origin) {
            return file
        }
        try checkKinds(kinds, format: format, path: path)
        if format == .astro { return try astroItems(text: text, kinds: kinds, path: path, origin: origin) }
        guard let localFormat = format.localFileFormat else { return ImportedFile(format: format, items: CopyItems()) }
        do {
            if kinds.contains(.variable) {
                if airflow == .v2 {
                    return ImportedFile(format: format, items: try airflow2VariableItems(text: text, format: localFormat, path: path, origin: origin))
                }
                return ImportedFile(format: format,
                                    items: try variableItems(text: text, format: localFormat, path: path, origin: origin))
            }
            let (items, notes) = try connectionItems(text: text, format: localFormat, path: path, origin: origin,
                                                     dialect: airflow == .v2 ? .airflow2 : .core)
            return ImportedFile(format: format, items: items, notes: notes)
        } catch let error as LocalFilesystemError {
            throw TransferError("\(path): \(error.safeMessage)")
        }
    }

    static func checkKinds(_ kinds: Set<SecretKind>, format: TransferFormat, path: String) throws {
        if kinds.isEmpty {
            throw TransferError("nothing to read from \(path): choose connections, variables or both")
        }
        if !format.holdsBothKinds, kinds.count != 1 {
            throw TransferError("\(path) is an Airflow \(format.rawValue) file, which holds connections or variables but does not say which: "
                                + "choose one (--conns or --vars)")
        }
    }

    /// Refuses what is not a regular file, or is too large, before reading a byte.
    static func checkFile(_ path: String) throws {
        let check = FileCheck.inspect(path)
        guard check.isRegular else {
            throw TransferError("\(path) \(check.problem ?? "is not a regular file"); \(check.fix)")
        }
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maximumFileSize {
            throw TransferError("\(path) is larger than \(maximumFileSize >> 20) MiB, far larger than any export; check that it is the right file")
        }
    }
}
