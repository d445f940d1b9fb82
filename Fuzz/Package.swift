// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets: gcmap-fuzz for the text processing (normalization, segmentation, the
// lexicon matcher), gcmap-fuzz-decoder for the binary decoder of cache entries and worker
// records. Built and run by scripts/fuzz (swift build --sanitize=fuzzer); not part of the
// main build, since a fuzzer executable has libFuzzer's main.
let package = Package(
  name: "gcmap-fuzz",
  // Packages/gcmap is a link to the repository, so that the package is called "gcmap"
  // whatever folder the repository was cloned into.
  dependencies: [.package(path: "Packages/gcmap")],
  targets: [
    .executableTarget(
      name: "gcmap-fuzz",
      dependencies: [.product(name: "GCMapText", package: "gcmap")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ),
    .executableTarget(
      name: "gcmap-fuzz-decoder",
      dependencies: [.product(name: "GCMapText", package: "gcmap")],
      swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    ),
  ],
  swiftLanguageModes: [.v6]
)
