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
        .target(name: "BulkImportKit", dependencies: ["LibYAML"]),
        // The thin command-line front end.
        .executableTarget(
            name: "bulk-import",
            dependencies: [
                "BulkImportKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "LibYAMLTests", dependencies: ["LibYAML"]),
        .testTarget(
            name: "BulkImportKitTests",
            dependencies: ["BulkImportKit"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["BulkImportKit"]),
    ]
)
