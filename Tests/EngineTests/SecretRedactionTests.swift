import Foundation
import Testing
import TestSupport
@testable import Engine
@testable import Editing

/// The one masking rule: credentials in URLs (parsing or not), secret pieces, and Airflow error
/// text that quotes the value it refused.
struct SecretRedactionTests {
    static let canary = "s3cr3t"

    // MARK: URLs

    @Test(arguments: [
        ("postgres://etl:pa[s3cr3t]ss@db.example.com/a", "postgres://etl:***@db.example.com/a"),
        ("https://admin:pa/s3cr3t@vault.example.com", "https://admin:***@vault.example.com"),
        ("https://admin:pa#s3cr3t@vault.example.com:8200/v1", "https://admin:***@vault.example.com:8200/v1"),
        ("https://admin:pa?s3cr3t@vault.example.com", "https://admin:***@vault.example.com"),
        ("http://u:p@s3cr3t@host/x", "http://u:***@host/x"),
        ("https://admin:123/s3cr3t@vault.example.com", "https://admin:***@vault.example.com"),
        ("https://to/s3cr3t@github.com/x", "https://***@github.com/x"),
        ("https://a[s3cr3t]@github.com", "https://***@github.com"),
        ("https://pa\\s3cr3t:x@h", "https://***@h"),
        ("redis://:s3cr3t@cache:6379/0", "redis://:***@cache:6379/0"),
        ("url 'https://u:s3cr3t@h1' and \"ftp://v:s3cr3t@h2\"", "url 'https://u:***@h1' and \"ftp://v:***@h2\""),
        ("a https://u:s3cr3t@h1 b https://w:s3cr3t@h2/p c", "a https://u:***@h1 b https://w:***@h2/p c"),
    ])
    func credentialsAreMaskedWhetherOrNotTheURLParses(input: String, expected: String) {
        let masked = SecretRedaction.maskURLCredentials(in: input)
        #expect(masked == expected)
        #expect(!masked.contains(Self.canary))
    }

    /// A combining mark after `/` or `@` joins it into one Swift Character; Python's urlsplit
    /// still sees the separator, so the masking must too (found by reviewing the fuzzing's
    /// grapheme-versus-code-point finding below).
    @Test(arguments: [
        ("x postgres://\u{31D}etl:s3cr3t@db/a", "x postgres://\u{31D}etl:***@db/a"),
        ("postgres://etl:s3cr3t@\u{31D}db/a", "postgres://etl:***@\u{31D}db/a"),
        ("postgres:/\u{31D}/etl:s3cr3t@db/a", "postgres:/\u{31D}/etl:s3cr3t@db/a"),
    ])
    func separatorsAreFoundScalarByScalar(input: String, expected: String) {
        let masked = SecretRedaction.maskURLCredentials(in: input)
        #expect(masked.unicodeScalars.elementsEqual(expected.unicodeScalars))
        if input.unicodeScalars.elementsEqual(expected.unicodeScalars) == false { #expect(!masked.contains(Self.canary)) }
        let material = SecretRedaction.secretMaterial(of: input)
        if !input.hasPrefix("postgres:/\u{31D}") { #expect(material.contains(Self.canary)) }
    }

    /// A secret piece followed by a combining mark in the message is still replaced.
    @Test func aPieceIsFoundWhenACombiningMarkFollowsIt() {
        let text = SecretRedaction.redact("bad value 'S3CR3T\u{31D}x'", material: ["s3cr3t"])
        #expect(text.utf8.firstRange(of: Array(Self.canary.utf8)) == nil)
        #expect(String(text.unicodeScalars.filter(\.isASCII)).contains("***"))
    }

    @Test(arguments: [
        "https://vault.example.com:8200/v1/secret",
        "postgres://etl@db.example.com/a",
        "no url here: user:pass@host",
        "",
        "scheme://",
        "https://h/path?q=1#frag",
    ])
    func textWithoutCredentialsIsUnchanged(input: String) {
        #expect(SecretRedaction.maskURLCredentials(in: input) == input)
    }

    /// Text from a hostile file or server: one pass over it, however many `://` and quotes it holds.
    @Test(.timeLimit(.minutes(1))) func hostileTextIsMaskedInOnePass() {
        let schemes = String(repeating: "a://b:", count: 100_000) + "s3cr3t@host"
        #expect(SecretRedaction.maskURLCredentials(in: schemes) == "a://b:***@host")
        let noAt = String(repeating: "x://", count: 100_000)
        #expect(SecretRedaction.maskURLCredentials(in: noAt) == noAt)
        let quotes = String(repeating: "'a\"", count: 50_000)
        let text = SecretRedaction.error(className: "ValueError", message: quotes, input: schemes)
        #expect(text.redacted == "ValueError (message withheld: too long to check that it quotes no secret)")
        #expect(text.exact.count > quotes.count)
        #expect(!SecretRedaction.secretMaterial(of: schemes).isEmpty)
    }

    // MARK: Airflow's error text

    /// Every shape here quotes (part of) a stored value the way Airflow's parsers do.
    @Test(arguments: [
        // A bracketed piece of the password becomes an "IP address" Python complains about.
        ("ValueError", "'s3cr3t' does not appear to be an IPv4 or IPv6 address", "postgres://etl:pa[s3cr3t]ss@db.example.com/a"),
        // Host names are lower-cased before they are quoted.
        ("ValueError", "'s3cr3t' does not appear to be an IPv4 or IPv6 address", "postgres://etl:pa[S3CR3T]ss@db.example.com/a"),
        ("ValueError", "invalid literal for int() with base 10: 'x9s3cr3t'", "postgres://etl:pw@db.example.com:x9s3cr3t/a"),
        ("ValueError", "Port could not be cast to integer value as 's3cr3t'", "postgres://db.example.com:s3cr3t/a"),
        ("AirflowException", "Invalid connection string: postgres://etl:s3cr3t@db/a.", "postgres://etl:s3cr3t@db/a"),
        ("ValueError", "can't parse 's3cr3t'", "postgres://etl:s3cr3t@db"),
        ("ValueError", "bad value: 'pa\\\\x1bs3cr3t'", "postgres://etl:pa\u{1B}s3cr3t@db"),
        ("ValueError", "'pa[s3cr3t]ss' is wrong", "postgres://etl:pa%5Bs3cr3t%5Dss@db/a"),
        ("ValueError", "bad extra \"tok-s3cr3t\"", "postgres://db/a?token=tok-s3cr3t"),
        ("ValueError", "netloc 'etl:s3cr3t@db' contains invalid characters", "postgres://etl:s3cr3t@db"),
        ("JSONDecodeError", "Invalid \\escape: 'x s3cr3t'", "{\"password\": \"x s3cr3t\\q\"}"),
    ])
    func errorTextNeverShowsTheStoredValue(className: String, message: String, input: String) {
        let text = SecretRedaction.error(className: className, message: message, input: input)
        #expect(!text.redacted.lowercased().contains(Self.canary), "shown: \(text.redacted)")
        #expect(text.redacted.hasPrefix(className + ": "))
        #expect(text.exact == "\(className): \(message)")
        #expect(text.wasRedacted)
        #expect(text.description == text.redacted)
        #expect(text.text(revealed: true) == text.exact)
    }

    @Test func quotesOfSomethingElseStayReadable() {
        let text = SecretRedaction.error(className: "JSONDecodeError",
                                         message: "Expecting ',' delimiter: line 1 column 9 (char 8)",
                                         input: "{\"a\": 1 \"b\": 2}")
        #expect(text.redacted == "JSONDecodeError: Expecting ',' delimiter: line 1 column 9 (char 8)")
        #expect(!text.wasRedacted)
        let other = SecretRedaction.error(className: "ValueError", message: "unknown scheme 'mysql+foo'",
                                          input: "postgres://etl:s3cr3t@db")
        #expect(other.redacted == "ValueError: unknown scheme 'mysql+foo'")
    }

    @Test func theRealCodecErrorForABracketedPasswordIsRedacted() {
        let uri = "postgres://etl:pa[s3cr3t]ss@db.example.com/a"
        for dialect in ConnectionDialect.allCases {
            do {
                _ = try Connection.parse(storedValue: uri, dialect: dialect)
            } catch let error as AirflowError {
                let text = SecretRedaction.error(className: error.className, message: error.message, input: uri)
                #expect(!text.redacted.contains(Self.canary), "\(dialect): \(text.redacted)")
                #expect(text.exact == error.description)
            } catch {
                Issue.record("unexpected error \(type(of: error))")
            }
        }
    }

    @Test func secretMaterialHoldsTheURIPieces() {
        let material = Set(SecretRedaction.secretMaterial(of: "  postgres://etl:pa%2Fss@db/a?k=v1&t=tok  "))
        #expect(material.contains("postgres://etl:pa%2Fss@db/a?k=v1&t=tok"))
        #expect(material.contains("etl:pa%2Fss"))
        #expect(material.contains("pa%2Fss"))
        #expect(material.contains("pa/ss"))
        #expect(material.contains("k=v1&t=tok"))
        #expect(material.contains("tok"))
    }

    @Test func namedSecretsAreReplacedWhereverTheyOccur() {
        let shown = SecretRedaction.redact("token S3CR3T-value and https://u:p@h", material: ["s3cr3t-value", "ab"])
        #expect(shown == "token *** and https://u:***@h")
    }

    // MARK: Kwargs and the saved-connection description use the same rule

    @Test func kwargURLsAreMaskedEvenWhenTheyDoNotParse() {
        for url in ["https://admin:pa/s3cr3t@vault.example.com", "https://admin:pa#s3cr3t@vault.example.com"] {
            let shown = KwargMasking.display(.string(url), isSecret: false)
            #expect(!shown.text.contains(Self.canary))
            #expect(shown.masked)
        }
    }

    @Test func aCodecErrorAboutAnEditedConnectionNeverQuotesItsFields() {
        var connection = Connection()
        connection.connType = "postgres"
        connection.host = "db.example.com"
        connection.password = "pa[s3cr3t]ss"
        let error = AirflowError("ValueError", "'s3cr3t' does not appear to be an IPv4 or IPv6 address")
        let shown = StoredConnectionText.safeDescription(of: error, for: connection)
        #expect(!shown.contains(Self.canary))
        #expect(shown.hasPrefix("ValueError: "))
    }
}

/// The one inert function every terminal and log path uses.
struct InertTextTests {
    @Test(arguments: ["\u{1B}]0;pwned\u{07}", "a\rb", "a\u{08}b", "a\u{0}b", "a\u{9B}b", "a\u{202E}b", "a\u{2066}b", "a\nb", "\u{FEFF}x"])
    func controlsBecomeVisibleEscapes(input: String) {
        let inert = InertText.make(input)
        #expect(!inert.unicodeScalars.contains(where: InertText.needsEscape))
        #expect(inert.contains("\\"))
    }

    @Test func lineBreaksCanBeKeptForMultiLineMessages() {
        #expect(InertText.make("one\ntwo\u{1B}[2J", keepingLineBreaks: true) == "one\ntwo\\x1b[2J")
        #expect(InertText.make("one\r\ntwo", keepingLineBreaks: true) == "one\\x0d\ntwo")
        #expect(InertText.make("plain café ✓") == "plain café ✓")
    }

    @Test func theOperationsLogStoresInertText() {
        let log = OperationLog(capacity: 4)
        log.record(.init(kind: .write, target: "vault\u{1B}[31m", name: "conn:a\u{202E}b", result: "ok\r", succeeded: true))
        let entry = log.entries[0]
        for text in [entry.target, entry.name, entry.result] {
            #expect(!text.unicodeScalars.contains(where: InertText.needsEscape))
        }
    }
}

/// Where tiers build reasons from Airflow's error text: redacted to show, exact kept for `--reveal`.
struct RedactedTierReasonTests {
    static let canary = "zq9canary"
    static let uri = "postgres://etl:pa[\(canary)]ss@db.example.com/a"

    @Test func theEnvironmentTierKeepsTheExactReasonOnTheRecord() throws {
        let tier = EnvironmentTier(environment: DeploymentEnvironment(["AIRFLOW_CONN_DB": Self.uri]), dialect: .core)
        let record = try #require(tier.snapshot().records.first)
        guard case .unreadable(let reason) = record.state else { Issue.record("\(record.state)"); return }
        #expect(!reason.contains(Self.canary), "\(reason)")
        #expect(reason.contains("'***' does not appear to be an IPv4 or IPv6 address"))
        let exact = try #require(record.exactReason)
        #expect(exact.contains("'\(Self.canary)' does not appear"))
        // Metadata edits keep it; it never shows up as metadata.
        var edited = record
        edited.metadata["note"] = "x"
        #expect(edited.exactReason == exact)
        #expect(edited.metadata.values.allSatisfy { !$0.contains(Self.canary) })
        #expect(edited != record)
    }

    @Test func airflowSettingsConnURIErrorsAreRedacted() {
        let (state, exact) = AirflowSettingsTier.connectionFromURI(Self.uri, extra: nil, dialect: .core)
        guard case .unreadable(let reason) = state else { Issue.record("\(state)"); return }
        #expect(!reason.contains(Self.canary))
        #expect(exact?.contains(Self.canary) == true)
    }

    @Test func aLocalConnectionsFileFailsTheTierWithARedactedMessage() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("conns.json", "{\"db\": \"\(Self.uri)\"}")
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: dir.url.appendingPathComponent("conns.json"),
                                       dialect: .core)
        do {
            _ = try await tier.load()
            Issue.record("the file should fail the tier")
        } catch let error as TierError {
            #expect(!error.message.contains(Self.canary), "\(error.message)")
            #expect(error.message.contains("does not appear to be an IPv4 or IPv6 address"))
            #expect(error.exactMessage?.contains(Self.canary) == true)
        }
    }

    @Test func theLoaderKeepsTheExactFailureForReveal() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("conns.json", "{\"db\": \"\(Self.uri)\"}")
        let tier = LocalFilesystemTier(variablesFile: nil, connectionsFile: dir.url.appendingPathComponent("conns.json"),
                                       dialect: .core)
        let state = await DeploymentLoader(factory: FixedTierFactory([tier])).loadAll(Deployment(name: "d"), context: .server)
        let unreadable = state.unreadableTiers
        #expect(unreadable.map(\.tier) == [.backend])
        #expect(!(unreadable.first?.reason.contains(Self.canary) ?? true))
        #expect(state.exactFailureReasons[.backend]?.contains(Self.canary) == true)
    }

    @Test func aTierThatIsNotConfiguredIsNotUnreadable() {
        let slots = [TierSlot(unavailable: TierDescriptor(tier: .backend, label: "no backend"), reason: "none set", configured: false),
                     TierSlot(unavailable: TierDescriptor(tier: .metastore, label: "metastore"), reason: "bad URL")]
        let state = DeploymentState(deployment: Deployment(name: "d"), context: .server, slots: slots)
        #expect(state.unreadableTiers.map(\.tier) == [.metastore], "a configured tier that cannot be set up counts")
    }
}
