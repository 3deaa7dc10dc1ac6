// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "bulk-import",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulk-import", targets: ["bulk-import"]),
        .library(name: "BulkImportKit", targets: ["BulkImportKit"]),
        .library(name: "LibYAML", targets: ["LibYAML"]),
        .library(name: "BulkImportLedger", targets: ["BulkImportLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The system libyaml (Debian: libyaml-dev). Not vendored: it is a requirement of the project.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // The platform's C library in one place, and the one way files are read and time is told.
        .target(name: "Platform"),
        // A small Swift layer over libyaml's event API that keeps marks for every node.
        .target(name: "LibYAML", dependencies: ["CYAML", "Platform"]),
        // JSON values, a strict parser and the one writer and escaper. No dependencies, no Foundation.
        .target(name: "JSON"),
        // The crash-safe job ledger (one JSON record per line). No NIO, no Foundation.
        .target(name: "BulkImportLedger", dependencies: ["JSON", "Platform"]),
        // The ledger's records kept in PostgreSQL, for pipelines and many runners. Only the CLI uses it.
        .target(
            name: "BulkImportPostgres",
            dependencies: [
                "BulkImportLedger",
                "JSON",
                "Platform",
                // Re-exports NIO and NIOSSL (TLSConfiguration, NIOSSLContext).
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // All of the tool's behaviour: manifest model, secrets, validation, planning, reporting.
        .target(
            name: "BulkImportKit",
            dependencies: [
                "LibYAML",
                "JSON",
                "BulkImportLedger",
                "Platform",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // A loopback test double of the import APIs, for tests and benchmarks. Not a Milvus.
        .target(
            name: "ImportTestServer",
            dependencies: [
                "JSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "import-test-server",
            dependencies: ["ImportTestServer", "Platform", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "bulk-import",
            dependencies: [
                "BulkImportKit",
                "BulkImportPostgres",
                "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "PlatformTests", dependencies: ["Platform"]),
        .testTarget(name: "LibYAMLTests", dependencies: ["LibYAML"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(
            name: "BulkImportKitTests",
            dependencies: ["BulkImportKit"],
            resources: [.copy("Fixtures")]
        ),
        // What the test targets share: the one process runner, temporary folders, the built products.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EndToEndTests", dependencies: ["BulkImportKit", "ImportTestServer", "TestSupport"]),
        // Against a real Milvus 2.3.5 started by scripts/milvus-local.
        .testTarget(name: "MilvusEndToEndTests", dependencies: ["BulkImportKit", "TestSupport"]),
        .testTarget(
            name: "ExecutionTests",
            dependencies: [
                "BulkImportKit", "ImportTestServer",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ImportTestServerTests", dependencies: ["ImportTestServer", "import-test-server", "JSON", "TestSupport"]),
        // Appends to a ledger until killed, for the crash-safety test.
        .executableTarget(name: "ledger-crash-writer", dependencies: ["BulkImportLedger", "Platform"]),
        .testTarget(name: "LedgerTests", dependencies: ["BulkImportLedger", "ledger-crash-writer", "TestSupport"]),
        // Claims jobs in a PostgreSQL state until killed, for the kill -9 test.
        .executableTarget(name: "postgres-claim-holder", dependencies: ["BulkImportPostgres", "BulkImportLedger", "Platform"]),
        // Against a real PostgreSQL started by scripts/postgres-local.
        .testTarget(
            name: "PostgresStateTests",
            dependencies: [
                "BulkImportPostgres", "BulkImportLedger", "BulkImportKit", "ImportTestServer", "TestSupport", "postgres-claim-holder",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
