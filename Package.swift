// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "bulk-import",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bulk-import", targets: ["bulk-import"]),
        .library(name: "BulkImportKit", targets: ["BulkImportKit"]),
        .library(name: "LibYAML", targets: ["LibYAML"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The system libyaml (Debian: libyaml-dev). Not vendored: it is a requirement of the project.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // A small Swift layer over libyaml's event API that keeps marks for every node.
        .target(name: "LibYAML", dependencies: ["CYAML"]),
        // All of the tool's behaviour: manifest model, secrets, validation, planning, reporting.
        .target(
            name: "BulkImportKit",
            dependencies: [
                "LibYAML",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A loopback test double of the import APIs, for tests and benchmarks. Not a Milvus.
        .target(
            name: "ImportTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "import-test-server", dependencies: ["ImportTestServer"]),
        // The thin command-line front end.
        .executableTarget(
            name: "bulk-import",
            dependencies: [
                "BulkImportKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "LibYAMLTests", dependencies: ["LibYAML"]),
        .testTarget(
            name: "BulkImportKitTests",
            dependencies: ["BulkImportKit"],
            resources: [.copy("Fixtures")]
        ),
        // Runs the built binary; shared by the end-to-end test targets.
        .target(name: "EndToEndSupport", path: "Tests/EndToEndSupport"),
        .testTarget(name: "EndToEndTests", dependencies: ["BulkImportKit", "ImportTestServer", "EndToEndSupport"]),
        // Against a real Milvus 2.3.5 started by scripts/milvus-local.
        .testTarget(name: "MilvusEndToEndTests", dependencies: ["BulkImportKit", "EndToEndSupport"]),
        .testTarget(
            name: "ExecutionTests",
            dependencies: [
                "BulkImportKit", "ImportTestServer",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ImportTestServerTests", dependencies: ["ImportTestServer", "import-test-server"]),
        // Appends to a ledger until killed, for the crash-safety test.
        .executableTarget(name: "ledger-crash-writer", dependencies: ["BulkImportKit"]),
        .testTarget(name: "LedgerTests", dependencies: ["BulkImportKit", "ledger-crash-writer"]),
    ]
)
