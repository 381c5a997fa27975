// swift-tools-version:6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode, strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    // Run-time exclusivity checks stay on in debug builds, where every test runs, and are off in
    // the release build the daemon ships as: they were 3% of a proxied call's instructions
    // (docs/performance.md, sixth round; the trade-off is in docs/security.md).
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    // Compiled for the executables' static runtime (below): each module names the static
    // libraries it needs.
    .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
]

/// Every executable's: the release build links the Swift runtime and Foundation in, so calls into
/// the runtime (retain, release, task switches) skip the PLT and its thread-locals the dynamic TLS
/// lookup. That was 3.4% of a Show's instructions and 4–8% of its CPU (docs/performance.md, eighth
/// round). Debug builds, where the tests run, stay dynamically linked.
let linkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "flygate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flygate", targets: ["flygate"]),
        .executable(name: "flygate-codegen", targets: ["flygate-codegen"]),
        .executable(name: "flygate-bench", targets: ["flygate-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // A small, exact JSON value type: numbers keep their text, objects keep member order.
        .target(
            name: "FlyGateJSON",
            swiftSettings: swiftSettings,
            // Double's rounding calls libm, which nothing else links without Foundation.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),
        // ttrpc framing and envelope. SwiftProtobuf + NIOCore only.
        .target(
            name: "FlyGateWire",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Generated messages (machines, gateway) and the generated JSON <-> proto mapping.
        .target(
            name: "FlyMachinesProto",
            dependencies: [
                "FlyGateJSON",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // The upstream REST client. Knows nothing of the socket.
        .target(
            name: "FlyMachinesAPI",
            dependencies: [
                "FlyGateJSON",
                "FlyMachinesProto",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The built-in Machines API simulator. Never imports the core.
        .target(
            name: "FlyMachinesSimulator",
            dependencies: [
                "FlyGateJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The ttrpc server on a Unix socket: connections, limits, peer credentials, the router and
        // its interceptors, the dispatcher, the socket file's lifecycle. Knows no service.
        .target(
            name: "FlyGateServer",
            dependencies: [
                "FlyGateWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // glibc's count of the heap in use (mallinfo2), which Swift's Glibc module does not export.
        .target(name: "CFlyGateMemory"),
        // The daemon: its interceptors and stages, audit, leases, configuration, the gateway service.
        .target(
            name: "FlyGateCore",
            dependencies: [
                "CFlyGateMemory",
                "FlyGateJSON",
                "FlyGateWire",
                "FlyGateServer",
                "FlyMachinesProto",
                "FlyMachinesAPI",
                // For its configuration's defaults only: the daemon serves it when there is no token.
                "FlyMachinesSimulator",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Swift client library for the socket.
        .target(
            name: "FlyGateClient",
            dependencies: [
                "FlyGateWire",
                "FlyMachinesProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line interface for people: verbs, formatters, exit codes. The executable runs it.
        .target(
            name: "FlyGateCLI",
            dependencies: [
                "FlyGateJSON",
                "FlyGateWire",
                "FlyMachinesProto",
                "FlyGateClient",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // OpenAPI document -> .proto + Swift JSON mapping.
        .target(name: "FlyGateCodegen", dependencies: ["FlyGateJSON"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "flygate-codegen", dependencies: ["FlyGateCodegen"], swiftSettings: swiftSettings, linkerSettings: linkerSettings),
        .executableTarget(
            name: "flygate",
            dependencies: [
                "FlyGateCore",
                "FlyGateServer",
                "FlyGateClient",
                "FlyGateCLI",
                "FlyMachinesSimulator",
                "FlyMachinesAPI",
                "FlyMachinesProto",
                "FlyGateJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: linkerSettings
        ),
        // Benchmarks: scenarios run in-process against the simulator.
        .executableTarget(
            name: "flygate-bench",
            dependencies: [
                "FlyGateHarness",
                "FlyGateServer",
                "FlyGateClient",
                "FlyGateJSON",
                "FlyGateCore",
                "FlyMachinesAPI",
                "FlyMachinesSimulator",
                "FlyMachinesProto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: linkerSettings
        ),

        // What the fuzzer exercises, shared by the fuzz executable and its regression tests.
        .target(
            name: "FlyGateFuzzing",
            dependencies: [
                "FlyGateJSON",
                "FlyMachinesAPI",
                "FlyGateWire",
                "FlyMachinesProto",
                "FlyGateServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // libFuzzer target (scripts/fuzz); without -DFUZZING it replays inputs given as arguments.
        .executableTarget(
            name: "flygate-fuzz", dependencies: ["FlyGateFuzzing"], swiftSettings: swiftSettings, linkerSettings: linkerSettings),
        .testTarget(
            name: "FuzzRegressionTests", dependencies: ["FlyGateFuzzing", "FlyGateJSON", "FlyGateWire"], exclude: ["Corpus"],
            swiftSettings: swiftSettings),
        // Bounded waits and child processes that are always stopped: for the tests and the benchmarks.
        .target(name: "FlyGateHarness", swiftSettings: swiftSettings),
        // Helpers shared by the test targets: raw ttrpc and HTTP/2 connections, a minimal gRPC
        // client, the shared documents, and FlyGateHarness re-exported.
        .target(
            name: "FlyGateTestSupport",
            dependencies: [
                "FlyGateHarness",
                "FlyGateWire",
                "FlyMachinesProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ],
            path: "Tests/FlyGateTestSupport",
            swiftSettings: swiftSettings
        ),
        // Fly's document as a checker of recorded simulator exchanges, for the simulator's, the
        // upstream client's and the daemon's tests.
        .target(
            name: "FlyMachinesConformance",
            dependencies: ["FlyGateJSON", "FlyMachinesSimulator"],
            path: "Tests/FlyMachinesConformance",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FlyGateJSONTests", dependencies: ["FlyGateJSON"], swiftSettings: swiftSettings),
        // The benchmark's own logic (how it judges its targets), not its measurements.
        .testTarget(name: "FlygateBenchTests", dependencies: ["flygate-bench", "FlyGateJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FlyMachinesSimulatorTests",
            dependencies: [
                "FlyMachinesSimulator",
                "FlyMachinesConformance",
                "FlyGateTestSupport",
                "FlyGateJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyMachinesAPITests",
            dependencies: [
                "FlyMachinesAPI",
                "FlyGateTestSupport",
                "FlyMachinesSimulator",
                "FlyMachinesConformance",
                "FlyMachinesProto",
                "FlyGateJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyMachinesProtoTests",
            dependencies: ["FlyMachinesProto", "FlyGateJSON", "FlyGateWire"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "FlyGateTestSupport",
                "FlyGateServer",
                "FlyGateClient",
                "FlyGateWire",
                "FlyGateCore",
                "FlyGateJSON",
                "FlyMachinesProto",
                "FlyMachinesAPI",
                "FlyMachinesSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyGateCodegenTests", dependencies: ["FlyGateCodegen", "FlyGateJSON", "FlyGateTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FlyGateWireTests",
            dependencies: [
                "FlyGateWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyGateCoreTests",
            dependencies: [
                "FlyGateCore",
                "FlyGateServer",
                "FlyGateTestSupport",
                "FlyMachinesConformance",
                "FlyMachinesAPI",
                "FlyMachinesSimulator",
                "FlyGateWire",
                "FlyGateClient",
                "FlyGateJSON",
                "FlyMachinesProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyGateClientTests",
            dependencies: [
                "FlyGateClient",
                "FlyGateWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FlyGateCLITests",
            dependencies: [
                "FlyGateCLI",
                "FlyGateCore",
                "FlyGateServer",
                "FlyGateJSON",
                "FlyGateWire",
                "FlyMachinesProto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
