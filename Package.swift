// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "orgscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orgscope", targets: ["orgscope"])
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // Both already come with async-http-client and hummingbird; named for the sandbox's
        // own channel handler (NIOCore, NIOHTTPTypes).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // Already in async-http-client; named for the status line guard (NIOHTTP1, NIOHTTP2).
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        // Snapshots: SQLite with the amalgamation bundled, so the one static binary still
        // runs on a jump host without libsqlite3 (see README, "Snapshots").
        .package(url: "https://github.com/vapor/sqlite-nio.git", exact: "1.13.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        // The command line: options declared once, help, suggestions and completion scripts.
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // Starting programs (ChildProcess): spawning with no descriptor inherited but 0, 1, 2.
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", exact: "1.0.2"),
    ],
    targets: [
        .systemLibrary(name: "CNCursesw", path: "Sources/CNCursesw"),
        .target(name: "CursesShim", dependencies: ["CNCursesw"]),
        // What a crash must undo (the terminal, a partial snapshot): async-signal-safe C.
        .target(name: "CrashGuard"),
        .target(
            name: "OrgScopeCore",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        .target(
            name: "OrgScopeTUI",
            dependencies: ["OrgScopeCore", "CNCursesw", "CursesShim", "CrashGuard"]
        ),
        .target(
            name: "OrgScopeSandbox",
            dependencies: [
                "OrgScopeCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        .target(
            name: "OrgScopeSnapshot",
            dependencies: [
                "OrgScopeCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ]
        ),
        .executableTarget(
            name: "orgscope",
            dependencies: [
                "OrgScopeCore", "OrgScopeTUI", "OrgScopeSandbox", "OrgScopeSnapshot", "CrashGuard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "orgscope-bench",
            dependencies: ["OrgScopeCore", "OrgScopeTUI", "OrgScopeSandbox", "OrgScopeSnapshot"],
            path: "Sources/orgscope-bench"
        ),
        .testTarget(
            name: "OrgScopeCoreTests",
            dependencies: [
                "OrgScopeCore", "OrgScopeSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]
        ),
        .testTarget(
            name: "OrgScopeTUITests", dependencies: ["OrgScopeTUI", "OrgScopeCore"],
            exclude: ["Golden"]),
        .testTarget(
            name: "OrgScopeSandboxTests",
            dependencies: [
                "OrgScopeSandbox", "OrgScopeCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(
            name: "OrgScopeSnapshotTests",
            dependencies: [
                "OrgScopeSnapshot", "OrgScopeSandbox", "OrgScopeCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["orgscope", "OrgScopeSandbox", "OrgScopeCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// A file sees the members that extensions add only from the modules it imports itself.
// TOMLKit extends every `[String: V]` with a subscript whose setter stores nothing; without
// this, `dictionary[key] = value` anywhere that sees TOMLKit transitively could resolve to
// it (see ImportLeakTests).
for target in package.targets where target.type != .system {
  target.swiftSettings = (target.swiftSettings ?? []) + [
    .enableUpcomingFeature("MemberImportVisibility")
  ]
}
