import Foundation

/// An AWS shared file (`~/.aws/credentials` or `~/.aws/config`) read as botocore reads it:
/// `[section]` headers, `key = value` lines, `#`/`;` comments, indented lines belonging to the
/// key above (nested settings such as `s3 =`, which Strata does not need).
struct SharedConfigFile: Sendable {
    /// Section name → settings. In the config file profiles are `[profile name]` (and `[default]`).
    var sections: [String: [String: String]]
    var path: String

    /// Reads `path`; a missing file is an empty one (as botocore treats it).
    static func load(path: String) throws -> SharedConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return SharedConfigFile(sections: [:], path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSSetupError("cannot read \(path); check its permissions.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSSetupError("\(path) is not UTF-8 text.")
        }
        return try parse(text, path: path)
    }

    static func parse(_ text: String, path: String) throws -> SharedConfigFile {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if line.first == " " || line.first == "\t" { continue }  // a nested value of the key above
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    throw AWSSetupError("\(path) line \(index + 1): a section header must end with ']'.")
                }
                let name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current else {
                throw AWSSetupError("\(path) line \(index + 1): a setting before any [section] header.")
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw AWSSetupError("\(path) line \(index + 1): expected 'name = value'.")
            }
            let key = trimmed[..<separator].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return SharedConfigFile(sections: sections, path: path)
    }

    /// A profile's settings in the credentials file (`[name]`).
    func credentialsProfile(_ name: String) -> [String: String]? { sections[name] }

    /// A profile's settings in the config file: `[profile name]`, or `[default]` for the default.
    func configProfile(_ name: String) -> [String: String]? {
        if name == "default" { return sections["default"] ?? sections["profile default"] }
        return sections["profile \(name)"]
    }
}

/// A configuration problem found before any request: the message says what to fix.
public struct AWSSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
