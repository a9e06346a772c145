// swift-tools-version: 6.1
import PackageDescription

// Layers depend one way only: strata → TerminalUI → ViewModel → Engine.
// The Engine is a core module plus one module per family of tiers, so that each backend
// builds, tests and fails on its own; `Backends` composes them for the executable.
let package = Package(
    name: "Strata",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strata", targets: ["strata"]),
        .executable(name: "strata-bench", targets: ["strata-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // MARK: Engine layer
        // CPython's and PyYAML's exact behaviour: json.loads / json.dumps, safe_load, Python values
        // and exceptions. The PyYAML port reads libyaml's events through `CYaml`, which Yams builds
        // but does not offer as a product of its own, so it comes with the Yams product.
        .target(name: "PythonCompat", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(
            name: "Engine",
            dependencies: ["PythonCompat", .product(name: "Yams", package: "Yams")]
        ),
        // Planning, applying and verifying edits: the planner, the executor and the file writers.
        .target(name: "Editing", dependencies: ["Engine", "PythonCompat"]),
        .target(
            name: "Metastore",
            dependencies: [
                "Engine", "PythonCompat",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "RemoteSupport",
            dependencies: [
                "Engine",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "AWSBackends",
            dependencies: ["Engine", "Editing", "PythonCompat", "RemoteSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "VaultBackend",
            dependencies: ["Engine", "Editing", "PythonCompat", "RemoteSupport"]
        ),
        .target(
            name: "CloudBackends",
            dependencies: [
                "Engine", "Editing", "PythonCompat", "RemoteSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "AirflowAPI",
            dependencies: ["Engine", "Editing", "PythonCompat", "RemoteSupport", "AWSBackends", "CloudBackends"]
        ),
        .target(
            name: "Backends",
            dependencies: ["Engine", "Editing", "Metastore", "RemoteSupport", "AWSBackends", "VaultBackend", "CloudBackends", "AirflowAPI"]
        ),

        // MARK: UI layers
        .target(name: "ViewModel", dependencies: ["Engine", "Editing", "PythonCompat"]),
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(name: "TerminalUI", dependencies: ["ViewModel", "CNcursesw"]),

        // MARK: Executables
        .target(
            name: "StrataCLI",
            dependencies: [
                "Engine", "Editing", "PythonCompat", "Backends", "AirflowAPI", "ViewModel", "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "strata", dependencies: ["StrataCLI"]),
        .executableTarget(
            name: "strata-bench",
            dependencies: [
                "Engine", "Backends", "Metastore", "RemoteSupport", "AWSBackends", "VaultBackend", "CloudBackends",
                "AirflowAPI", "ViewModel", "StrataCLI", "Editing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Engine", "Editing"], path: "Tests/TestSupport"),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Editing", "PythonCompat", "TestSupport"]),
        .testTarget(name: "EditingTests", dependencies: ["Editing", "Engine", "TestSupport"]),
        .testTarget(name: "PythonCompatTests", dependencies: ["PythonCompat"]),
        .testTarget(name: "MetastoreTests", dependencies: [
            "Metastore", "Engine", "TestSupport", "Backends", "Editing", "RemoteSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "AWSBackendsTests", dependencies: ["AWSBackends", "Engine", "PythonCompat", "RemoteSupport", "TestSupport",
                                                             .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "VaultBackendTests", dependencies: ["VaultBackend", "Engine", "PythonCompat", "RemoteSupport", "TestSupport"]),
        .testTarget(name: "CloudBackendsTests", dependencies: ["CloudBackends", "Engine", "PythonCompat", "RemoteSupport", "TestSupport"]),
        .testTarget(name: "AirflowAPITests", dependencies: ["AirflowAPI", "Backends", "Engine", "Editing", "Metastore", "PythonCompat",
                                                            "RemoteSupport", "TestSupport"]),
        .testTarget(name: "BackendsTests", dependencies: ["Backends", "Engine", "Editing", "Metastore", "RemoteSupport", "AWSBackends",
                                                          "VaultBackend", "CloudBackends", "TestSupport"]),
        .testTarget(name: "ViewModelTests", dependencies: ["ViewModel", "Engine", "Editing", "TestSupport"],
                    exclude: ["Snapshots", "Editing/Snapshots"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "ViewModel", "CNcursesw", "Engine", "TestSupport"]),
        .testTarget(name: "StrataCLITests", dependencies: [
            "StrataCLI", "Engine", "Editing", "PythonCompat", "TestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: Fuzzing (scripts/fuzz)
// libFuzzer targets, declared only when STRATA_FUZZ=1: they are built by `scripts/fuzz` alone,
// in release with `-sanitize=fuzzer,address -parse-as-library -enable-testing` and their own
// scratch path; they cannot link without libFuzzer, so the ordinary build never sees them.
if Context.environment["STRATA_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("fuzz-connection-uri", ["Engine"]),
        ("fuzz-connection-json", ["Engine"]),
        ("fuzz-python-json", ["Engine", "PythonCompat"]),
        ("fuzz-yaml", ["Engine", "PythonCompat"]),
        ("fuzz-dotenv", ["Engine"]),
        ("fuzz-local-files", ["Engine", "PythonCompat"]),
        ("fuzz-airflow-settings", ["Engine"]),
        ("fuzz-workspace", ["Engine"]),
        ("fuzz-vault-replies", ["Engine", "RemoteSupport", "VaultBackend"]),
        ("fuzz-aws-replies", ["Engine", "RemoteSupport", "AWSBackends"]),
        ("fuzz-cloud-replies", ["Engine", "RemoteSupport", "CloudBackends"]),
        ("fuzz-airflow-api-replies", ["Engine", "Editing", "RemoteSupport", "AirflowAPI"]),
        ("fuzz-uri-report-line", ["Engine", "PythonCompat"]),
    ]
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"))
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["Engine", "PythonCompat", "CFuzzDriver"], path: "Fuzz/Support"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(name: target.name, dependencies: target.dependencies + ["FuzzSupport"],
                                                 path: "Fuzz/Targets/\(target.name)"))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
