import Foundation

/// Where a deployment's metadata database is, parsed from a `sqlite:///…` or
/// `postgresql://user:pass@host:port/db` URL (SQLAlchemy's `sql_alchemy_conn` forms included).
public enum MetastoreLocation: Sendable, Hashable {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// "sqlite" or "postgresql", for labels.
    public var dialect: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgresql"
        }
    }

    /// The URL without its password, safe to show.
    public var redactedURL: String {
        switch self {
        case .sqlite(let path): return "sqlite://" + (path.hasPrefix("/") ? path : "/" + path)
        case .postgres(let location): return location.redactedURL
        }
    }

    /// Parses `url`. Relative SQLite paths (`sqlite:///relative.db`, SQLAlchemy's form) are
    /// resolved with `resolveRelative`; `sqlite:////abs.db` is absolute.
    public static func parse(_ url: String, resolveRelative: (String) -> String = { $0 }) throws -> MetastoreLocation {
        guard let colon = url.range(of: "://") else {
            throw MetastoreURLError("is not a database URL (expected sqlite:///path/to/airflow.db or postgresql://user:password@host:5432/db)")
        }
        let scheme = url[..<colon.lowerBound].lowercased()
        let dialect = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        let rest = String(url[colon.upperBound...])
        switch dialect {
        case "sqlite":
            // SQLAlchemy: sqlite:///relative.db, sqlite:////absolute.db; query options are ignored.
            var path = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard path.hasPrefix("/") else {
                throw MetastoreURLError("names a SQLite host instead of a file (write sqlite:///path/to/airflow.db)")
            }
            path.removeFirst()
            guard !path.isEmpty else {
                throw MetastoreURLError("names an in-memory SQLite database, which has no variables or connections to show (write sqlite:///path/to/airflow.db)")
            }
            return .sqlite(path: path.hasPrefix("/") ? path : resolveRelative(path))
        case "postgresql", "postgres":
            return .postgres(try PostgresLocation(afterScheme: rest))
        case "mysql", "mssql", "oracle":
            throw MetastoreURLError("uses \(dialect), which Strata cannot read yet (supported: sqlite, postgresql)")
        default:
            throw MetastoreURLError("has the unknown scheme '\(scheme)' (supported: sqlite:///path, postgresql://…)")
        }
    }
}

/// A PostgreSQL server, database and credentials, from a libpq-style URL.
public struct PostgresLocation: Sendable, Hashable {
    public var host: String
    public var port: Int
    /// Set when the URL names a Unix socket directory (`?host=/var/run/postgresql`).
    public var socketPath: String?
    public var username: String
    public var password: String?
    public var database: String?
    /// libpq's `sslmode`: disable, allow, prefer (default), require, verify-ca, verify-full.
    public var sslMode: String
    /// `sslrootcert`, a PEM file of trusted CAs for verify-ca / verify-full.
    public var sslRootCertificate: String?

    init(afterScheme rest: String) throws {
        var remainder = rest
        var query = ""
        if let q = remainder.firstIndex(of: "?") {
            query = String(remainder[remainder.index(after: q)...])
            remainder = String(remainder[..<q])
        }
        // The last '@' ends the credentials, so an unencoded '/' or '@' in a password still parses.
        var userInfo: String?
        if let at = remainder.lastIndex(of: "@") {
            userInfo = String(remainder[..<at])
            remainder = String(remainder[remainder.index(after: at)...])
        }
        var pathPart = ""
        var hostPort = remainder
        if let slash = remainder.firstIndex(of: "/") {
            pathPart = String(remainder[remainder.index(after: slash)...])
            hostPort = String(remainder[..<slash])
        }
        var username = "postgres"
        var password: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                username = Self.percentDecoded(String(userInfo[..<colon]))
                password = Self.percentDecoded(String(userInfo[userInfo.index(after: colon)...]))
            } else {
                username = Self.percentDecoded(userInfo)
            }
        }
        var host = hostPort
        var port = 5432
        if hostPort.hasPrefix("[") , let close = hostPort.firstIndex(of: "]") {
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(String(after.dropFirst())) }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try Self.port(String(hostPort[hostPort.index(after: colon)...]))
        }
        host = Self.percentDecoded(host)
        var sslMode = "prefer"
        var rootCert: String?
        var socketPath: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentDecoded(String(parts[0]))
            let value = parts.count > 1 ? Self.percentDecoded(String(parts[1])) : ""
            switch name {
            case "sslmode":
                guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(value) else {
                    throw MetastoreURLError("has sslmode=\(value); use disable, allow, prefer, require, verify-ca or verify-full")
                }
                sslMode = value
            case "sslrootcert": rootCert = value
            case "host":
                if value.hasPrefix("/") { socketPath = value } else { host = value }
            case "port": port = try Self.port(value)
            case "user": username = value
            case "password": password = value
            case "dbname": pathPart = value
            default: break
            }
        }
        if host.isEmpty, socketPath == nil { host = "localhost" }
        self.host = host
        self.port = port
        self.socketPath = socketPath
        self.username = username
        self.password = password
        let database = Self.percentDecoded(pathPart)
        self.database = database.isEmpty ? nil : database
        self.sslMode = sslMode
        self.sslRootCertificate = rootCert
    }

    /// `postgresql://user@host:port/db?sslmode=…` — never the password.
    public var redactedURL: String {
        var url = "postgresql://\(username)"
        if password != nil { url += ":***" }
        url += "@"
        url += host.contains(":") ? "[\(host)]" : host
        url += ":\(port)"
        if let database { url += "/\(database)" }
        var query: [String] = []
        if let socketPath { query.append("host=\(socketPath)") }
        if sslMode != "prefer" { query.append("sslmode=\(sslMode)") }
        if !query.isEmpty { url += "?" + query.joined(separator: "&") }
        return url
    }

    private static func port(_ text: String) throws -> Int {
        if text.isEmpty { return 5432 }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text), (1...65535).contains(port) else {
            throw MetastoreURLError("has a port that is not a number from 1 to 65535")
        }
        return port
    }

    private static func percentDecoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}

/// A metastore URL that cannot be used; the message never contains the password.
public struct MetastoreURLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "the metastore URL \(reason)" }
}
