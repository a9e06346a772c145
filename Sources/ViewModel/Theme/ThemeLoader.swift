import Engine
import Foundation

/// Finds and reads themes: a path, a `<name>.theme` in the user's or the repository's themes
/// folder, or a built-in copy. Never fails: a problem falls back to the default with a message.
public enum ThemeLoader {
    /// The theme to use and, when the request could not be honoured, why.
    public static func load(_ requested: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                            searchDirectories: [URL]? = nil) -> (theme: Theme, problem: String?) {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return (BuiltinThemes.mono, nil)
        }
        let name = requested ?? "default"
        let directories = searchDirectories ?? defaultDirectories(environment: environment)
        let file: URL?
        if name.contains("/") || name.hasSuffix(".theme") {
            file = URL(fileURLWithPath: name)
            guard FileManager.default.fileExists(atPath: file!.path) else {
                return (BuiltinThemes.fallback, "theme file \(InertText.make(name)) not found; using the default theme")
            }
        } else {
            file = directories.map { $0.appendingPathComponent("\(name).theme") }
                .first { FileManager.default.fileExists(atPath: $0.path) }
        }
        if let file {
            do {
                // Regular files only: a FIFO named as the theme would block the start-up.
                let text = try RegularFile.utf8String(file.path)
                let themeName = file.deletingPathExtension().lastPathComponent
                return (try Theme.parse(text, name: themeName, file: file.path, base: BuiltinThemes.fallback), nil)
            } catch let error as ThemeError {
                return (BuiltinThemes.fallback, "\(InertText.make(error.description)); using the default theme")
            } catch let error as RegularFileError {
                return (BuiltinThemes.fallback, "\(InertText.make(error.description)); using the default theme")
            } catch let error as InvalidUTF8Error {
                return (BuiltinThemes.fallback,
                        "\(InertText.make(file.path)) is not UTF-8 text (byte \(error.offset)); using the default theme")
            } catch {
                return (BuiltinThemes.fallback, "cannot read \(InertText.make(file.path)) (\(InertText.make(String(describing: error)))); using the default theme")
            }
        }
        if let builtin = BuiltinThemes.theme(named: name) { return (builtin, nil) }
        return (BuiltinThemes.fallback,
                "no theme named '\(InertText.make(name))' (built in: \(BuiltinThemes.names.joined(separator: ", ")); or put \(InertText.make(name)).theme in ~/.config/strata/themes); using the default theme")
    }

    /// Where `<name>.theme` files are looked for, first match wins: the user's config folder,
    /// ./themes, and a themes folder beside or above the executable (the repository when run from .build).
    public static func defaultDirectories(environment: [String: String]) -> [URL] {
        var directories: [URL] = []
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            directories.append(URL(fileURLWithPath: config).appendingPathComponent("strata/themes"))
        } else if let home = environment["HOME"] {
            directories.append(URL(fileURLWithPath: home).appendingPathComponent(".config/strata/themes"))
        }
        directories.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                             ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            directories.append(folder.appendingPathComponent("themes"))
            directories.append(folder.appendingPathComponent("share/strata/themes"))
            folder = folder.deletingLastPathComponent()
        }
        return directories
    }
}
