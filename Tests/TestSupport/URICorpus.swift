import Engine
import PythonCompat

/// Connection URIs the codec tests run through every path: the recorded corpus (the URIs of
/// `connection-uris.jsonl`, made by real Airflow) and hand-made variations of the shapes that
/// matter (case, encodings, duplicate and blank query keys, ports, user info, hosts with `%`,
/// brackets, fragments, whitespace). Values are compared by the tests, never printed.
public enum URICorpus {
    /// The recorded URIs (empty when the fixture cannot be read; tests check its size).
    public static let recorded = recordedInputs(kind: "uri")

    /// The recorded JSON connections (`Connection.from_json` inputs) of the same fixture.
    public static let recordedJSON = recordedInputs(kind: "json")

    private static func recordedInputs(kind: String) -> [String] {
        guard let lines = try? Fixtures.jsonLines("connection-uris.jsonl") else { return [] }
        return lines.compactMap { line in
            guard case .object(let record)? = try? JSONValue.parsePython(line),
                  record["kind"]?.stringValue == kind, let input = record["input"]?.stringValue else { return nil }
            return input
        }
    }

    public static let variations: [String] = [
        "postgres://user:pw@host:5432/db",
        "POSTGRESQL://User:P%40ss@Host.Example.COM:5432/My%20DB?sslmode=require",
        "my-type://h?a=1&a=2&b&c=&=x&&d=%7B%22k%22%3A1%7D",
        "http://h/?__extra__=%7B%22a%22%3A1%7D&x=y",
        "http://h/?__extra__=%5B1%5D",
        "http://h/?__extra__=",
        "http://h/?k=not%20json&n=12&f=1.5e3&t=true&z=null&q=%22s%22&neg=-1&nan=NaN",
        "http://h:/db",
        "http://h:99999/db",
        "http://h:12a/db",
        "http://user@h",
        "http://:@h",
        "http://@h",
        "http://u:p:q@h@i:1/x/y?z",
        "scheme+x.y-z://h",
        "1abc://h",
        "a:b://h",
        "http://h/db?x=%FF&y=1",
        "http://h/db?%FF=1&%FE=2",
        // Two keys for Python (code points differ), though canonically equivalent.
        "http://h/db?caf%C3%A9=1&cafe%CC%81=2",
        "http://h/db?k=%E2%9C%93&u=%5Cn",
        "http://h%2Fx/db",
        "http://HOST%41b/db",
        "http://Ab%2fCd:5/x",
        "http://Ab%2F%2FCd@Ef%2FGh:5/x",
        "spark://K8S%3A%2F%2F100.68.0.1:443?deploy-mode=cluster",
        "http://h%zz/db",
        "http://H%C3%A9/db",
        "http://h%FF/db",
        "http://%/db",
        "http://[::1]:80/db",
        "http://h/db#frag",
        "http://h/db?x=a+b%2Bc",
        "http://h/%2Fslash/db",
        "http://h/db?ctrl=%01%1F",
        "postgres://user:pw@host:5432/db?x=1 ",
        " postgres://h",
        "http://h\t/db",
        "aws://?region_name=eu-west-1",
        "aws://",
        "http://h?",
        "http://h/?",
        "http://h/db?a=%",
        "http://h/db?a=%4",
        "http://h/db?a=%zz",
        "mysql://a://b",
        "http://h/db?k=http://x",
    ]

    /// The recorded URIs and the variations, each also upper-cased, with `query` appended (a
    /// second `?` becomes part of the first query) and with its `@`s percent-encoded.
    public static func withVariants(appending query: String) -> [String] {
        let all = recorded + variations
        return all + all.flatMap { [$0.uppercased(), $0 + query, $0.replacingOccurrences(of: "@", with: "%40")] }
    }
}
