extension LocalFilesystemTier {
    /// The records of a variables file of a common shape: rows over its text, each built by
    /// `variableRecord` — the same records the entry path builds — when it is read.
    func variableTable(_ rows: LocalFileRows, text: String, format: LocalFilesystemFile.Format,
                       path: String) -> TierRecordTable {
        TierRecordTable(
            count: rows.count,
            materialize: { row in
                text.withSharedUTF8 { bytes in
                    variableRecord(key: LocalFileRows.string(rows[row].keyRange, bytes),
                                   value: LocalFilesystemFile.variableRowValue(rows, row, format: format, bytes),
                                   path: path, line: Int(rows[row].line))
                }
            },
            name: { row in text.withSharedUTF8 { LocalFileRows.string(rows[row].keyRange, $0) } },
            kind: { _ in .variable })
    }

    /// The records of a connections file of a common shape (a `.env` of `KEY=uri` lines, a JSON
    /// object or a YAML mapping the fast paths take), or `nil` for any other file. Every connection is built
    /// once here, so that a file Airflow would refuse still goes to the general path and its
    /// error; each record builds its connection again when it is read.
    func connectionTable(text: String, format: LocalFilesystemFile.Format, path: String) -> TierRecordTable? {
        let parserDialect: ConnectionDialect = dialect == .sdk ? .core : dialect
        let rows: LocalFileRows? = text.withSharedUTF8 { bytes in
            switch format {
            case .env:
                guard let rows = LocalFilesystemFile.fastEnvRows(bytes) else { return nil }
                for row in 0..<rows.count {
                    let entry = rows[row]
                    do {
                        _ = try LocalFilesystemFile.createConnection(
                            key: .string(LocalFileRows.string(entry.keyRange, bytes)),
                            value: .string(LocalFileRows.string(entry.valueRange, bytes)),
                            dialect: parserDialect, line: Int(entry.line))
                    } catch {
                        return nil
                    }
                }
                return rows
            case .json:
                guard LocalFileRows.fit(bytes.count) else { return nil }
                var rows = LocalFileRows(reservingCapacity: min(bytes.count / 32 + 1, 1 << 20))
                // Offsets are into the text's UTF-8, whichever buffer holds it.
                let taken = LocalFilesystemFile.forEachFastConnectionEntry(json: text, dialect: dialect) { entry, _ in
                    rows.append(key: entry.keyRange, value: entry.valueStart..<entry.valueStart, line: entry.line,
                                flagged: !entry.passesSanitising)
                }
                return taken ? rows : nil
            case .yaml:
                return LocalFilesystemFile.fastYAMLConnectionRows(bytes, parserDialect: parserDialect)
            }
        }
        guard let rows else { return nil }
        return TierRecordTable(
            count: rows.count,
            materialize: { row in
                text.withSharedUTF8 { bytes in
                    connectionRowRecord(rows, row, format: format, parserDialect: parserDialect, path: path, bytes)
                }
            },
            name: { row in text.withSharedUTF8 { LocalFileRows.string(rows[row].keyRange, $0) } },
            kind: { _ in .connection })
    }

    /// The record of row `row` of `connectionTable`: what the entry path builds for it.
    private func connectionRowRecord(_ rows: LocalFileRows, _ row: Int, format: LocalFilesystemFile.Format,
                                     parserDialect: ConnectionDialect, path: String,
                                     _ bytes: UnsafeBufferPointer<UInt8>) -> TierRecord {
        let entry = rows[row]
        let key = LocalFileRows.string(entry.keyRange, bytes)
        let line = Int(entry.line)
        let connection: Connection?
        let connID: String?
        switch format {
        case .json:
            connection = LocalFilesystemFile.fastConnection(in: bytes, valueStart: Int(entry.valueStart),
                                                            keyRange: entry.keyRange, dialect: dialect)
            connID = rows.isFlagged(row) ? nil : key
        case .yaml:
            connection = LocalFilesystemFile.yamlConnection(row: entry, bytes, parserDialect: parserDialect)
            connID = LocalFilesystemFile.sanitizedConnID(key)
        case .env:
            connection = try? LocalFilesystemFile.createConnection(
                key: .string(key), value: .string(LocalFileRows.string(entry.valueRange, bytes)),
                dialect: parserDialect, line: line)
            connID = LocalFilesystemFile.sanitizedConnID(key)
        }
        guard let connection else {
            // Reading is deterministic, so the connection built at load builds again; should the
            // file's text be changed in memory, the record says so instead of stopping Strata.
            return TierRecord(kind: .connection, name: key, suggestedID: key,
                              state: .unreadable(reason: "this entry no longer reads as it did when the file was loaded; reload"),
                              file: path, line: line)
        }
        return connectionRecord(key: key, connection: connection, connID: connID, path: path, line: line)
    }
}
