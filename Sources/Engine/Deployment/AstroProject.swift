import Foundation

/// An Astro CLI project folder: `.astro/`, `.env`, `airflow_settings.yaml`, a `Dockerfile`.
public enum AstroProject {
    /// Whether `folder` looks like an Astro project.
    public static func isProject(_ folder: URL) -> Bool {
        // A dangling settings link still marks the project (and is reported when read).
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(".astro").path)
            || FileCheck.inspect(folder.appendingPathComponent("airflow_settings.yaml").path) != .missing
    }

    /// Adds the project's `.env` to the deployment's environment and notes its settings file.
    public static func apply(_ folder: URL, to deployment: inout Deployment) throws {
        deployment.projectDirectory = folder
        let envFile = folder.appendingPathComponent(".env")
        // `astro dev` reads the project's .env; a new variable goes there even when it does not exist yet.
        deployment.envFiles.append(envFile)
        // Only a missing .env is passed over: a dangling or looping link, a FIFO or a folder is an error.
        if FileCheck.inspect(envFile.path) != .missing {
            do {
                // The path is computed once: URL.path allocates, and a project's .env may hold tens of thousands of lines.
                let envPath = envFile.path
                let text = try DotEnvFile.text(of: envFile)
                // Variables go straight into the environment, with no intermediate entry list; the
                // deployment's own is left as it was if the file has an error. (A fresh value when
                // it is empty, so that setting mutates in place instead of copying.)
                var environment = deployment.environment.isEmpty ? DeploymentEnvironment() : deployment.environment
                try DotEnvFile.scan(text, path: envPath, reserve: { environment.reserveCapacity($0, bytes: text.utf8.count) }) { name, value, line in
                    environment.set(name, value, origin: .file(path: envPath, line: line))
                }
                deployment.environment = environment
            } catch let error as DotEnvError {
                throw WorkspaceError(path: error.path, line: error.line,
                                     problem: "deployment '\(deployment.name)': \(error.problem)", fix: error.fix)
            }
        }
        let settings = folder.appendingPathComponent("airflow_settings.yaml")
        if FileCheck.inspect(settings.path) != .missing {
            // Whatever is there is read by the tier, which reports a file it cannot read.
            deployment.airflowSettingsFile = settings
        }
    }

    /// The Airflow major version of the project's Astro Runtime image, read from its Dockerfile.
    /// Runtime tags like `3.0-1` are Airflow 3; semantic versions like `12.1.0` are Airflow 2.
    public static func airflowVersion(of folder: URL) -> AirflowVersion? {
        guard let text = try? RegularFile.utf8String(folder.appendingPathComponent("Dockerfile").path) else { return nil }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.first?.uppercased() == "FROM", words.count >= 2 else { continue }
            let image = words[1]
            guard image.contains("astro-runtime"), let colon = image.lastIndex(of: ":") else { continue }
            let tag = image[image.index(after: colon)...]
            if tag.range(of: #"^\d+\.\d+-\d+"#, options: .regularExpression) != nil { return .v3 }
            if tag.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression) != nil { return .v2 }
        }
        return nil
    }
}
