import PythonCompat
/// `get_uri()` for Airflow 2, Airflow 3 core and the Task SDK.
extension Connection {
    /// get_uri(): the URI Airflow generates for this connection. Throws `AirflowError` where
    /// Airflow raises (an invalid `extra` on core, attributes of a non-`str` type).
    public func uri(dialect: ConnectionDialect) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(96 + (host?.utf8.count ?? 0) + (extra?.utf8.count ?? 0) * 2)
        try appendURI(dialect: dialect, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `uri(dialect:)` appended to `out` as UTF-8 bytes; nothing is appended when it throws.
    public func appendURI(dialect: ConnectionDialect, to out: inout [UInt8]) throws {
        // Written as bytes into one buffer: this runs once per line of bulk conversions, where
        // a string per piece cost more than the parsing.
        let start = out.count
        do {
            try writeURI(dialect: dialect, into: &out)
        } catch {
            out.removeSubrange(start...)
            throw error
        }
    }

    private func writeURI(dialect: ConnectionDialect, into out: inout [UInt8]) throws {
        if !writeTypedAddress(into: &out) { try writeAddress(dialect: dialect, into: &out) }
        try writeQuery(dialect: dialect, into: &out)
    }

    /// The part of get_uri() before its query for the usual connection — every attribute a
    /// `str` or None (nothing verbatim), an ASCII type and no `://` in the host — written
    /// straight from the typed fields; false, with nothing written, for any other. It writes what
    /// `writeAddress` writes for such a connection: the warning test on the type cannot raise
    /// on a `str`, and only a host holding `://` takes the protocol path.
    func writeTypedAddress(into out: inout [UInt8]) -> Bool {
        guard verbatim.isEmpty else { return false }
        if let host, ByteSearch.contains("://", in: host) { return false }
        if let connType, !connType.isEmpty {
            var isASCII = true
            for byte in connType.utf8 where byte >= 0x80 { isASCII = false; break }
            guard isASCII else { return false }
            for byte in connType.utf8 {
                let lower = byte &- 0x41 < 26 ? byte + 0x20 : byte
                out.append(lower == UInt8(ascii: "_") ? UInt8(ascii: "-") : lower)
            }
            out.append(contentsOf: "://".utf8)
        } else {
            out.append(contentsOf: "//".utf8)
        }
        let authorityStart = out.count
        if let login { PythonURL.quote(login, spaceAsPlus: false, into: &out) }
        if let password {
            out.append(UInt8(ascii: ":"))
            PythonURL.quote(password, spaceAsPlus: false, into: &out)
        }
        let hasAuthority = out.count > authorityStart
        if hasAuthority { out.append(UInt8(ascii: "@")) }
        let hostStart = out.count
        if let host, !host.isEmpty { PythonURL.quote(host, spaceAsPlus: false, into: &out) }
        if let port, port != 0 {
            out.append(contentsOf: (out.count == hostStart && !hasAuthority ? "@:" : ":").utf8)
            out.append(contentsOf: String(port).utf8)
        }
        if let schema, !schema.isEmpty {
            out.append(UInt8(ascii: "/"))
            PythonURL.quote(schema, spaceAsPlus: false, into: &out)
        }
        return true
    }

    /// The part of get_uri() before its query, step by step as Airflow writes it.
    private func writeAddress(dialect: ConnectionDialect, into out: inout [UInt8]) throws {
        let connType = fieldValue(.connType)
        let host = fieldValue(.host)
        let schema = fieldValue(.schema)

        // The "shall not contain '_'" warning test runs first and fails on non-iterables.
        switch dialect {
        case .airflow2: if connType.pythonTruthy { _ = try PythonOps.contains(connType, "_") }
        case .core: _ = try PythonOps.contains(connType.pythonTruthy ? connType : .string(""), "_")
        case .sdk: break
        }

        if connType.pythonTruthy {
            let text = try PythonOps.string(connType, calling: "lower")
            for byte in PythonText.lower(text).utf8 { out.append(byte == UInt8(ascii: "_") ? UInt8(ascii: "-") : byte) }
            out.append(contentsOf: "://".utf8)
        } else {
            out.append(contentsOf: "//".utf8)
        }

        var hostToUse = host
        if host.pythonTruthy, try PythonOps.contains(host, "://") {
            let text = try PythonOps.string(host, calling: "split")
            let protocolText = ByteSearch.prefix(of: text, before: ByteSearch.schemeSeparator)
            let bareHost = text[text.utf8.index(protocolText.endIndex, offsetBy: 3)...]
            // Airflow 3.1+ core and the SDK keep the host whole when its protocol is the type.
            if dialect != .airflow2 && JSONValue.string(String(protocolText)) == connType {
                hostToUse = host
            } else {
                hostToUse = .string(String(bareHost))
                if !protocolText.isEmpty {
                    out.append(contentsOf: protocolText.utf8)
                    out.append(contentsOf: "://".utf8)
                }
            }
        }

        let login = fieldValue(.login)
        let password = fieldValue(.password)
        let authorityStart = out.count
        if login != .null { try PythonOps.quote(login, into: &out) }
        if password != .null {
            out.append(UInt8(ascii: ":"))
            try PythonOps.quote(password, into: &out)
        }
        // An empty login alone writes nothing, and then no "@" either.
        let hasAuthority = out.count > authorityStart
        if hasAuthority { out.append(UInt8(ascii: "@")) }

        let hostStart = out.count
        if hostToUse.pythonTruthy { try PythonOps.quote(hostToUse, into: &out) }
        let port = fieldValue(.port)
        if port.pythonTruthy {
            out.append(contentsOf: (out.count == hostStart && !hasAuthority ? "@:" : ":").utf8)
            out.append(contentsOf: port.pythonStr.utf8)
        }
        if schema.pythonTruthy {
            out.append(UInt8(ascii: "/"))
            try PythonOps.quote(schema, into: &out)
        }
    }

    /// get_uri()'s query: the extra's pairs, or the whole extra as `__extra__`.
    private func writeQuery(dialect: ConnectionDialect, into out: inout [UInt8]) throws {
        let extra = fieldValue(.extra)
        if extra.pythonTruthy {
            let dejson = dialect == .core
                ? try PythonOps.validatedCoreExtraPairs(extra)
                : try PythonOps.extraDejson(extra, building: ExtraQueryPairs.self)
            out.append(contentsOf: (fieldValue(.schema).pythonTruthy ? "?" : "/?").utf8)
            // urlencode(d) round-trips through parse_qsl exactly when d is a non-empty dict of
            // str values (core 3.1+ checks that explicitly; the others by comparing).
            if case .dict(let members) = dejson, members.hasOnlyStrings {
                PythonURL.urlencode(members.members.lazy.map { ($0.key, $0.value ?? "") }, into: &out)
            } else {
                PythonURL.urlencode([(AirflowURIParser.extraKey, extra.pythonStr)], into: &out)
            }
        }
    }
}
