import Foundation
import Pipeline
import Scoring
import TestSupport
import Testing

/// A fresh folder holding copies of generated fixtures, under new names if given.
func folder(_ files: [(fixture: String, name: String)], extra: [String: String] = [:]) throws -> URL
{
  let url = Scratch.path("gcmap-run")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  for file in files {
    let target = url.appendingPathComponent(file.name)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: GeneratedFixtures.path(file.fixture)), to: target)
  }
  for (name, text) in extra {
    try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }
  return url
}

func outputFolder() -> URL {
  Scratch.path("gcmap-out")
}

func read(_ folder: URL, _ name: String) -> String {
  (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
}

/// CSV lines that belong to a document (its id is the first field).
func rows(_ csv: String, document: String) -> [String] {
  csv.components(separatedBy: "\r\n").filter { $0.hasPrefix(document + ",") }
}

@Suite("gcmap run")
struct RunTests {
  static let dataFiles = ["coverage.csv", "coverage.json", "passages.csv", "problems.csv"]

  @Test("Writes every output; a bad file is a problem row and exit status 2, the rest goes on")
  func batchWithProblems() throws {
    let input = try folder(
      [
        ("two-column.pdf", "review.pdf"), ("empty.pdf", "empty.pdf"),
        ("broken-ligatures.pdf", "notes/broken.pdf"),
      ],
      extra: ["readme.txt": "not a PDF"])
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path])
    #expect(result.code == 2, "\(result.error)")
    for name in Self.dataFiles + ["run.json"] {
      #expect(
        FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path),
        "\(name) missing")
    }
    let problems = read(out, "problems.csv")
    #expect(problems.contains("empty.pdf,empty,empty file (0 bytes)"))
    let coverage = read(out, "coverage.csv")
    #expect(rows(coverage, document: "review").count == 1)
    #expect(rows(coverage, document: "notes/broken").count == 1)
    #expect(rows(coverage, document: "empty").isEmpty)
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(read(out, "run.json").utf8)) as? [String: Any])
    let counts = try #require(manifest["counts"] as? [String: Int])
    #expect(
      counts == [
        "inputs": 4, "processed": 2, "problems": 1, "skipped": 1, "ocrDocuments": 0, "ocrPages": 0,
      ])
    #expect(result.error.contains("[1/3]"))
  }

  @Test("The mock review's remittance and detention paragraphs show in the matrix")
  func coverageOfMockReview() throws {
    let input = try folder([("two-column.pdf", "review.pdf")])
    let out = outputFolder()
    let result = GCMapBinary.run(["run", input.path, "--out", out.path])
    #expect(result.code == 0, "\(result.error)")
    let lines = read(out, "coverage.csv").components(separatedBy: "\r\n")
    let header = lines[0].components(separatedBy: ",")
    let row = rows(read(out, "coverage.csv"), document: "review")[0].components(separatedBy: ",")
    func level(_ id: String) -> String? { header.firstIndex(of: "\(id)_level").map { row[$0] } }
    for id in ["O20", "O13", "O09"] { #expect(level(id) != "none", "\(id) is \(level(id) ?? "?")") }
    let passages = read(out, "passages.csv")
    #expect(passages.contains("review,unknown,2,2,review#"))
    #expect(passages.contains(",O13,"))
  }

  @Test("Two runs on the same folder give byte-identical data files")
  func deterministic() throws {
    let input = try folder([
      ("two-column.pdf", "a.pdf"), ("broken-ligatures.pdf", "b.pdf"), ("empty.pdf", "c.pdf"),
    ])
    let first = outputFolder()
    let second = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", first.path])
    _ = GCMapBinary.run(["run", input.path, "--out", second.path])
    for name in Self.dataFiles {
      #expect(
        read(first, name) == read(second, name) && !read(first, name).isEmpty, "\(name) differs")
    }
  }

  @Test("Adding a PDF to the folder changes no other document's rows")
  func addingADocument() throws {
    let input = try folder([("two-column.pdf", "a.pdf"), ("broken-ligatures.pdf", "b.pdf")])
    let before = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", before.path])
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: GeneratedFixtures.path("encrypted.pdf")),
      to: input.appendingPathComponent("c.pdf"))
    try FileManager.default.copyItem(
      at: URL(fileURLWithPath: GeneratedFixtures.path("title-ghana.pdf")),
      to: input.appendingPathComponent("d.pdf"))
    let after = outputFolder()
    _ = GCMapBinary.run(["run", input.path, "--out", after.path])
    for name in ["coverage.csv", "passages.csv"] {
      for document in ["a", "b"] {
        let old = rows(read(before, name), document: document)
        #expect(!old.isEmpty)
        #expect(
          old == rows(read(after, name), document: document), "\(document) changed in \(name)")
      }
    }
    #expect(rows(read(after, "coverage.csv"), document: "d").count == 1)
  }

  @Test("A misspelt pipeline setting is an error with the file, the line and the nearest name")
  func strictPipeline() throws {
    let input = try folder([("two-column.pdf", "a.pdf")])
    let pipeline = input.appendingPathComponent("bad.yml")
    try """
    name: bad
    normalize: [unicode, ligatures]
    score:
      keyword: {weight: 1}
    classify:
      treshold: 0.4
    """.write(to: pipeline, atomically: true, encoding: .utf8)
    let result = GCMapBinary.run([
      "run", input.path, "--out", outputFolder().path, "--pipeline", pipeline.path,
    ])
    #expect(result.code == 1)
    #expect(
      result.error.contains(
        "\(pipeline.path):6: unknown key \"treshold\" in classify (did you mean \"threshold\"?)"))
  }

  @Test("Apparatus weights come from the pipeline file, strictly")
  func apparatusWeights() throws {
    let folder = Scratch.path("pipelines")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let good = folder.appendingPathComponent("good.yml")
    try """
    name: good
    normalize: [unicode]
    score:
      keyword: {weight: 1}
    classify:
      apparatusWeights: {vocabulary: 2.5, heading: 0.25}
    """.write(to: good, atomically: true, encoding: .utf8)
    let weights = try PipelineSettings.load(good).classifier.apparatusWeights
    #expect(weights.vocabulary == 2.5 && weights.heading == 0.25)
    #expect(weights.question == ApparatusDetector.Weights().question)
    let shipped = try PipelineSettings.load(Corpus(root: Repository.corpus).defaultPipeline)
    #expect(shipped.classifier.apparatusWeights == ApparatusDetector.Weights())

    let bad = folder.appendingPathComponent("bad.yml")
    try """
    name: bad
    normalize: [unicode]
    score:
      keyword: {weight: 1}
    classify:
      apparatusWeights: {vocabulary: 2.5, headings: 0.25}
    """.write(to: bad, atomically: true, encoding: .utf8)
    #expect {
      try PipelineSettings.load(bad)
    } throws: { error in
      "\(error)".contains("unknown key \"headings\" in classify.apparatusWeights")
        && "\(error)".contains("did you mean \"heading\"?")
    }
  }

  @Test("An unknown stage name is an error naming the nearest stage")
  func unknownStage() throws {
    let input = try folder([("two-column.pdf", "a.pdf")])
    let pipeline = input.appendingPathComponent("bad.yml")
    try "name: bad\nnormalize: [unicode, ligature]\nscore:\n  keyword: {weight: 1}\nclassify: {}\n"
      .write(
        to: pipeline, atomically: true, encoding: .utf8)
    let result = GCMapBinary.run([
      "run", input.path, "--out", outputFolder().path, "--pipeline", pipeline.path,
    ])
    #expect(result.code == 1)
    #expect(
      result.error.contains(
        ":2: unknown normalization stage \"ligature\" (did you mean \"ligatures\"?)"))
  }

  @Test("Every shipped pipeline file loads and runs")
  func shippedPipelines() throws {
    let input = try folder([("two-column.pdf", "a.pdf")])
    for name in ["default", "keywords-only", "tfidf-only"] {
      let pipeline = Repository.root.appendingPathComponent("Pipelines/\(name).yml").path
      let result = GCMapBinary.run([
        "run", input.path, "--out", outputFolder().path, "--pipeline", pipeline,
      ])
      #expect(result.code == 0, "\(name): \(result.error)")
    }
  }

  @Test("explain shows the passages behind a category with their terms and scores")
  func explain() {
    let result = GCMapBinary.run([
      "explain", GeneratedFixtures.path("two-column.pdf"), "--category", "O13",
    ])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.hasPrefix("# two-column: O13 Alternatives to detention"))
    #expect(result.output.contains("[p. 2]"))
    #expect(result.output.contains("terms: "))
    #expect(result.output.contains("[Alternatives to detention]"))
    let unknown = GCMapBinary.run([
      "explain", GeneratedFixtures.path("two-column.pdf"), "--category", "O99",
    ])
    #expect(unknown.code == 1)
  }
}
