import PythonCompat
/// `get_uri()` for Airflow 2, Airflow 3 core and the Task SDK.
extension Connection {
    /// get_uri(): the URI Airflow generates for this connection. Throws `AirflowError` where
    /// Airflow raises (an invalid `extra` on core, attributes of a non-`str` type).
    public func uri(dialect: ConnectionDialect) throws -> String {
        let connType = fieldValue("conn_type")
        let host = fieldValue("host")
        let schema = fieldValue("schema")

        // The "shall not contain '_'" warning test runs first and fails on non-iterables.
        switch dialect {
        case .airflow2: if connType.pythonTruthy { _ = try PythonOps.contains(connType, "_") }
        case .core: _ = try PythonOps.contains(connType.pythonTruthy ? connType : .string(""), "_")
        case .sdk: break
        }

        var uri: String
        if connType.pythonTruthy {
            let text = try PythonOps.string(connType, calling: "lower")
            uri = String(decoding: PythonText.lower(text).utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 },
                         as: UTF8.self) + "://"
        } else {
            uri = "//"
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
                if !protocolText.isEmpty { uri += protocolText + "://" }
            }
        }

        var authority = ""
        let login = fieldValue("login")
        if login != .null { authority += try PythonOps.quote(login) }
        let password = fieldValue("password")
        if password != .null { authority += ":" + (try PythonOps.quote(password)) }
        if !authority.isEmpty {
            authority += "@"
            uri += authority
        }

        var hostBlock = ""
        if hostToUse.pythonTruthy { hostBlock += try PythonOps.quote(hostToUse) }
        let port = fieldValue("port")
        if port.pythonTruthy {
            hostBlock += (hostBlock.isEmpty && authority.isEmpty ? "@:" : ":") + port.pythonStr
        }
        if schema.pythonTruthy { hostBlock += "/" + (try PythonOps.quote(schema)) }
        uri += hostBlock

        let extra = fieldValue("extra")
        if extra.pythonTruthy {
            let dejson = dialect == .core
                ? try PythonOps.validatedCoreExtraPairs(extra)
                : try PythonOps.extraDejson(extra, building: ExtraQueryPairs.self)
            let separator = schema.pythonTruthy ? "?" : "/?"
            // urlencode(d) round-trips through parse_qsl exactly when d is a non-empty dict of
            // str values (core 3.1+ checks that explicitly; the others by comparing).
            if case .dict(let members) = dejson, let pairs = members.allStrings {
                uri += separator + PythonURL.urlencode(pairs)
            } else {
                uri += separator + PythonURL.urlencode([(AirflowURIParser.extraKey, extra.pythonStr)])
            }
        }
        return uri
    }
}
