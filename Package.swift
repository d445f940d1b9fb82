// swift-tools-version:6.0
import PackageDescription

// gcmap: maps national GCM review PDFs against the Compact's objectives and guiding principles.
// Layers are modules and imports point inward (see README, "Architecture"):
// gcmap → Pipeline → {TextProcessing, PDFText} → GCMapCore. Only PDFText imports CPoppler.
let package = Package(
  name: "gcmap",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gcmap", targets: ["gcmap"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .systemLibrary(
      name: "CPoppler",
      pkgConfig: "poppler-glib",
      providers: [.apt(["libpoppler-glib-dev"])]
    ),
    .target(name: "GCMapCore"),
    .target(name: "TextProcessing", dependencies: ["GCMapCore"]),
    .target(name: "PDFText", dependencies: ["CPoppler", "GCMapCore"]),
    .target(name: "Pipeline", dependencies: ["GCMapCore", "TextProcessing", "PDFText"]),
    .executableTarget(
      name: "gcmap",
      dependencies: [
        "Pipeline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Helpers shared by the test targets: repository paths and generated fixture PDFs.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "GCMapCoreTests", dependencies: ["GCMapCore"]),
    .testTarget(
      name: "TextProcessingTests", dependencies: ["TextProcessing", "GCMapCore", "TestSupport"]),
    .testTarget(name: "PDFTextTests", dependencies: ["PDFText", "GCMapCore", "TestSupport"]),
    .testTarget(
      name: "PipelineTests", dependencies: ["Pipeline", "GCMapCore", "TestSupport", "gcmap"]),
  ],
  swiftLanguageModes: [.v6]
)
