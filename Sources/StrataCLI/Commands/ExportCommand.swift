import ArgumentParser
import Editing
import Engine
import Foundation

/// `strata export`: a deployment's connections or variables in a file Airflow's import (or
/// `astro dev start`) reads back exactly.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write connections or variables to a file in Airflow's own formats.",
        discussion: """
        strata export (--conns | --vars) --format json|yaml|env --output FILE
        strata export --format astro --output airflow_settings.yaml

        json, yaml and env are the files `airflow connections import` and `airflow variables \
        import` read (one kind per file: give --conns or --vars); astro is an Astro project's \
        airflow_settings.yaml, with both kinds. The values are what the deployment resolves, or \
        with --tier what one tier holds. Every entry is checked to read back exactly as exported; \
        one that would not is left out and named on stderr. The file is written whole, with mode \
        0600, and never replaces an existing file unless you pass --force. Values are written in \
        full: printing them (no --output) needs --reveal. The file is for the deployment's Airflow \
        version unless --for-airflow says otherwise: Airflow 2's variables import reads only JSON, \
        without descriptions.

        Exits 1 when a tier it needs could not be read (nothing is written; --allow-unavailable \
        exports what could be read) or when a key was left out (the file is written; \
        --allow-skipped exits 0).
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Only variables.") var vars = false
    @Flag(name: .long, help: "Only connections.") var conns = false
    @Option(name: .long, help: "The tier to export (backend, workers_backend, env, metastore).") var tier: TierID?
    @Flag(name: .long, help: "Export the values the deployment resolves (the default).") var resolved = false
    @Option(name: .long, help: "json, yaml, env or astro.") var format: TransferFormat
    @Option(name: [.customShort("o"), .long], help: "The file to write (mode 0600).") var output: String?
    @Flag(name: .long, help: "Replace --output if it exists.") var force = false
    @Flag(name: .long, help: "Print the values to standard output (no --output).") var reveal = false
    @Flag(name: .customLong("allow-unavailable"), help: "Export what could be read when a tier could not be (exit 0).")
    var allowUnavailable = false
    @Flag(name: .customLong("allow-skipped"), help: "Exit 0 even when keys were left out of the file.")
    var allowSkipped = false
    @Option(name: .customLong("for-airflow"), help: "Whose import the file is for: 2 or 3 (default: the deployment's Airflow).")
    var forAirflow: AirflowVersion?

    func validate() throws {
        if vars && conns { throw ValidationError("--vars and --conns exclude each other; give at most one (no flag exports both, for --format astro)") }
        if tier != nil && resolved { throw ValidationError("--tier and --resolved exclude each other; give at most one") }
        if !format.holdsBothKinds && !vars && !conns {
            throw ValidationError("Airflow's \(format.rawValue) files hold connections or variables, not both: give --conns or --vars "
                                  + "(one file each), or use --format astro for both in one file")
        }
        if let output, output != "-" {
            let implied = TransferFormat.implied(byPath: output)
            let fits = implied == format || (format == .astro && implied == .yaml) || (format == .yaml && implied == .astro)
            if !fits {
                throw ValidationError("Airflow picks a file's format from its extension: name the --output file "
                                      + "*.\(format.fileExtension)" + (format == .yaml || format == .astro ? " or *.yml" : "")
                                      + " for --format \(format.rawValue)")
            }
        } else if !reveal {
            throw ValidationError("an export holds every value in full: write it to a file with --output FILE (mode 0600), "
                                  + "or pass --reveal to print it")
        }
    }

    var kinds: Set<SecretKind> {
        if vars { return [.variable] }
        if conns { return [.connection] }
        return [.connection, .variable]
    }

    func run() async throws {
        let workspace = try global.loadWorkspace()
        let deployment = try global.selectDeployment(in: workspace)
        let state = await StrataRuntime.loader.loadAll(deployment, context: global.context)
        let source: CopyItems
        if let tier {
            guard state.descriptors[tier] != nil else {
                let known = state.descriptors.keys.map(\.rawValue).sorted().joined(separator: ", ")
                throw CLIError.usage("deployment \(InertText.make(deployment.name)) has no \(tier.rawValue) tier; it has: \(known)")
            }
            source = CopyItems.fromTier(tier, of: state)
        } else {
            source = CopyItems.resolved(from: state)
        }
        let unreadable = state.unreadableTiers.filter { tier == nil || $0.tier == tier }
        for (unreadableTier, reason) in unreadable {
            let label = state.descriptors[unreadableTier]?.label ?? unreadableTier.rawValue
            printError("strata: deployment \(InertText.make(deployment.name)): the \(unreadableTier.rawValue) tier "
                       + "(\(InertText.make(label))) could not be read: \(InertText.make(reason))"
                       + (allowUnavailable ? "" : "; nothing was written (--allow-unavailable exports what could be read)"))
        }
        if !unreadable.isEmpty && !allowUnavailable { throw ExitCode(1) }

        let exported: ExportOutput
        do {
            exported = try ExportWriter.write(source, format: format, kinds: kinds,
                                              airflow: forAirflow ?? deployment.airflowVersion)
        } catch let error as TransferError {
            throw CLIError(error.message)
        }
        let destination: String
        if let output, output != "-" {
            do {
                try ExportFile.write(exported.data, to: URL(fileURLWithPath: output), overwrite: force)
            } catch let error as EditError {
                throw CLIError(error.message)
            }
            destination = output
        } else {
            writeToStandardOutput(exported.data)
            destination = "standard output"
        }
        report(exported, destination: destination)
        if !exported.skipped.isEmpty && !allowSkipped { throw ExitCode(1) }
    }

    /// The bytes as they are into a pipe or file; through `InertText` onto a terminal, where a
    /// control character in a value must not act.
    private func writeToStandardOutput(_ data: Data) {
        if isatty(STDOUT_FILENO) == 1 {
            let text = InertText.make(String(decoding: data, as: UTF8.self), keepingLineBreaks: true)
            FileHandle.standardOutput.write(Data(text.utf8))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    /// The masked summary on stderr: counts, then each key left out or changed and why.
    private func report(_ exported: ExportOutput, destination: String) {
        let connections = exported.written.filter { $0.kind == .connection }.count
        let variables = exported.written.count - connections
        var parts: [String] = []
        if kinds.contains(.connection) { parts.append("\(connections) connection\(connections == 1 ? "" : "s")") }
        if kinds.contains(.variable) { parts.append("\(variables) variable\(variables == 1 ? "" : "s")") }
        printError("strata: wrote \(parts.joined(separator: " and ")) to \(InertText.make(destination)) (\(format.rawValue))")
        for note in exported.notes {
            printError("strata: note: \(note.key.kind.rawValue) \(InertText.make(note.key.id)): \(InertText.make(note.reason))")
        }
        for skipped in exported.skipped {
            printError("strata: skipped \(skipped.key.kind.rawValue) \(InertText.make(skipped.key.id)): \(InertText.make(skipped.reason))")
        }
        if !exported.skipped.isEmpty {
            printError("strata: \(exported.skipped.count) key\(exported.skipped.count == 1 ? " was" : "s were") left out of the file"
                       + (allowSkipped ? "" : " (exit 1; --allow-skipped accepts it)"))
        }
    }
}

extension TransferFormat: ExpressibleByArgument {}
extension AirflowVersion: ExpressibleByArgument {}
