// swift-tools-version: 6.0
// The libFuzzer targets of bulk-import. A package of its own, so that the root package's
// `swift build` and `swift test` (and CI) never see it. Build and run it with `scripts/fuzz`,
// which compiles everything with AddressSanitizer, coverage instrumentation and `-enable-testing`
// (the targets reach internal parsers through `@testable import`).
import PackageDescription

let package = Package(
    name: "bulk-import-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        // A link to the root package that scripts/fuzz makes: see there.
        .package(path: "../.build-fuzz/bulk-import")
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver, linked from libclang_rt.fuzzer_no_main by the script.
        .target(name: "CFuzzerDriver"),
        // Runs a Swift closure under libFuzzer, with the per-input CPU-time bound.
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        .executableTarget(
            name: "fuzz-yaml",
            dependencies: ["FuzzSupport", .product(name: "LibYAML", package: "bulk-import")]),
        .executableTarget(
            name: "fuzz-manifest",
            dependencies: [
                "FuzzSupport", .product(name: "BulkImportKit", package: "bulk-import"),
                .product(name: "LibYAML", package: "bulk-import"),
            ]),
        .executableTarget(
            name: "fuzz-template",
            dependencies: ["FuzzSupport", .product(name: "BulkImportKit", package: "bulk-import")]),
        .executableTarget(
            name: "fuzz-response",
            dependencies: ["FuzzSupport", .product(name: "BulkImportKit", package: "bulk-import")]),
        .executableTarget(
            name: "fuzz-ledger",
            dependencies: ["FuzzSupport", .product(name: "BulkImportLedger", package: "bulk-import")]),
    ]
)
