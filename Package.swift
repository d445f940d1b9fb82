// swift-tools-version:6.1
import PackageDescription

// gcmap: maps national GCM review PDFs against the Compact's objectives and guiding principles.
// Layers are modules and imports point inward (see README, "Architecture"):
// gcmap → Review → Decisions → Pipeline → {Reports, CorpusConfiguration → Scoring → TextProcessing,
// PDFText, OCR} → GCMapCore, with the leaves CompactCoding (the binary coder), Hashing (SHA-256)
// and CSVFormat (CSV reading and writing). Only Decisions imports GRDB; only Review imports
// Hummingbird. Only PDFText imports CPoppler and CPopplerLines; only OCR imports COCR; only
// TextProcessing imports CStemmer and CUtf8proc; only Hashing imports CCrypto; only
// CorpusConfiguration and Pipeline read YAML.
// Linux only: the worker pool reads /proc/self/exe and uses Glibc, so no Apple platform is named.
/// Release builds of the small leaf modules on hot paths (the binary coder, CSV writing) let
/// their callers specialize and inline them, as when they were part of the callers' modules.
let crossModuleOptimized: [SwiftSetting] = [
  .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
  name: "gcmap",
  products: [
    .executable(name: "gcmap", targets: ["gcmap"]),
    // The text and scoring layers as a library, for the fuzz package in Fuzz/.
    .library(
      name: "GCMapText",
      targets: ["GCMapCore", "TextProcessing", "Scoring", "CorpusConfiguration", "CompactCoding"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    // The analysts' decisions store (SQLite, Debian libsqlite3-dev) and the review server.
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(
      url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1",
      traits: ["FullFoundation"]),
    // What the review server uses of Hummingbird's own dependencies, declared as it imports them.
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CPoppler",
      pkgConfig: "poppler-glib",
      providers: [.apt(["libpoppler-glib-dev"])]
    ),
    // Snowball stemmers (Debian libstemmer-dev, which ships no pkg-config file).
    .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),
    // OpenSSL's libcrypto, for SHA-256 of the inputs (Debian libssl-dev).
    .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .target(name: "GCMapCore"),
    // The compact binary form of Codable values: cache entries, worker records, the report spool.
    // Its generic coder is specialized in the modules that call it (cross-module
    // optimization): without it, decoding a warm run's cache entries and spooled rows through
    // unspecialized generics took the bench corpus's warm run from 0.44 s to 0.7 s.
    .target(name: "CompactCoding", swiftSettings: crossModuleOptimized),
    // SHA-256 of inputs, corpus files, passages and cache entries.
    .target(name: "Hashing", dependencies: ["CCrypto"]),
    // CSV files, read and written, with cells neutralized for spreadsheets.
    .target(name: "CSVFormat", dependencies: ["GCMapCore"], swiftSettings: crossModuleOptimized),
    // utf8proc (Debian libutf8proc-dev), for NFKC and accent folding. Found without
    // pkg-config: its .pc file adds a define SwiftPM refuses (-DUTF8PROC_EXPORTS).
    .systemLibrary(
      name: "CUtf8proc", providers: [.apt(["libutf8proc-dev"])]),
    // Compact Language Detector 2 (Debian libcld2-dev), whose API is C++: a C shim, called by
    // TextProcessing's LanguageIdentifier only.
    .target(
      name: "CLD2", linkerSettings: [.linkedLibrary("cld2")]),
    .target(
      name: "TextProcessing", dependencies: ["GCMapCore", "CStemmer", "CUtf8proc", "CLD2"]),
    // A page's text lines from poppler's core text layout (Debian libpoppler-private-dev, the
    // same poppler as poppler-glib), whose API is C++: a C shim for the pages poppler-glib's
    // selections read badly (right-to-left text). Called by PDFText only.
    .target(
      name: "CPopplerLines",
      cxxSettings: [.unsafeFlags(["-I/usr/include/poppler"])],
      linkerSettings: [.linkedLibrary("poppler")]),
    .target(name: "PDFText", dependencies: ["CPoppler", "CPopplerLines", "GCMapCore"]),
    // tesseract (Debian libtesseract-dev, with its language models tesseract-ocr-eng, -fra,
    // -spa), for pages without a text layer.
    .systemLibrary(
      name: "COCR", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
    .target(name: "OCR", dependencies: ["COCR", "GCMapCore"]),
    .target(name: "Scoring", dependencies: ["GCMapCore", "TextProcessing"]),
    // Reads the corpus's files (taxonomy, lexicons, countries, CSV and strict YAML).
    .target(
      name: "CorpusConfiguration", dependencies: ["GCMapCore", "Scoring", "CSVFormat", "Yams"]),
    // zlib (Debian zlib1g-dev), for the workbook's deflated ZIP container.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "Reports", dependencies: ["GCMapCore", "CZlib", "CSVFormat", "CompactCoding"]),
    .target(
      name: "Pipeline",
      dependencies: [
        "GCMapCore", "TextProcessing", "PDFText", "OCR", "Scoring", "CorpusConfiguration",
        "Reports", "CompactCoding", "Hashing", "Yams",
      ],
      plugins: ["CodeIdentityPlugin"]),
    // Analysts' decisions on labels: the SQLite store (GRDB), its CSV form, and how they
    // apply to a document's passages during a run (through Pipeline's `LabelDecisions`).
    .target(
      name: "Decisions",
      dependencies: [
        "GCMapCore", "Hashing", "CSVFormat", "Scoring", "Pipeline",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    // The identity of the code behind each cache level: SHA-256 of its modules' sources,
    // computed at build time (see Sources/CodeIdentityPlugin).
    .executableTarget(name: "code-identity", dependencies: ["Hashing"]),
    .plugin(
      name: "CodeIdentityPlugin", capability: .buildTool(), dependencies: ["code-identity"],
      path: "Sources/CodeIdentityPlugin"),
    // `gcmap review`: the local web application over a finished run (Hummingbird).
    .target(
      name: "Review",
      dependencies: [
        "GCMapCore", "Decisions", "CSVFormat", "Hashing",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]),
    .executableTarget(
      name: "gcmap",
      dependencies: [
        "Pipeline", "Review", "Decisions",
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
      name: "ScoringTests",
      dependencies: [
        "Scoring", "CorpusConfiguration", "TextProcessing", "GCMapCore", "TestSupport",
      ]),
    .testTarget(
      name: "PipelineTests",
      dependencies: [
        "Pipeline", "Reports", "Scoring", "CorpusConfiguration", "GCMapCore", "TestSupport",
        "gcmap", "Decisions", "CompactCoding", "Hashing", "CSVFormat",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
