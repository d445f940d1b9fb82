import Foundation
import TestSupport
import Testing

@Suite("Reports people read")
struct ReportTests {
  static let run: URL = {
    let out = outputFolder()
    do {
      let input = try folder([
        ("two-column.pdf", "review.pdf"), ("hostile-text.pdf", "hostile.pdf"),
        ("title-ghana.pdf", "ghana.pdf"),
        ("empty.pdf", "empty.pdf"),
      ])
      _ = GCMapBinary.run(["run", input.path, "--out", out.path])
    } catch {
      fatalError("cannot set up the run: \(error)")
    }
    return out
  }()

  @Test("Text from a PDF is inert in report.html: no script, no injected tag")
  func escaping() {
    let html = read(Self.run, "report.html")
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("<img"))
    #expect(!html.contains("<b>markup"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
  }

  @Test("Self-contained: no external address is loaded")
  func selfContained() {
    let html = read(Self.run, "report.html")
    #expect(!html.contains("src=\"http"))
    #expect(!html.contains("href=\"http"))
    #expect(!html.contains("@import"))
    #expect(!html.contains("url("))
  }

  @Test("Every heatmap link lands on evidence with that id, and every document has a row")
  func links() throws {
    let html = read(Self.run, "report.html")
    let targets = Set(html.matches(of: #/href="#(ev-[^"]+)"/#).map { String($0.output.1) })
    let ids = Set(html.matches(of: #/id="(ev-[^"]+)"/#).map { String($0.output.1) })
    #expect(!targets.isEmpty)
    #expect(
      targets.isSubset(of: ids), "links without a target: \(targets.subtracting(ids).sorted())")
    // The mock review's remittance passage is evidence for O20, with its page.
    let anchor = try #require(targets.first { $0.hasSuffix("-O20") })
    let section = try #require(html.range(of: "id=\"\(anchor)\""))
    let evidence = html[section.upperBound...].prefix(3000)
    #expect(evidence.contains("<mark>"))
    #expect(evidence.contains("p. 1)"))
    for heading in [
      "Coverage matrix", "by region", "Objectives and guiding principles", "Documents", "Problems",
      "Method and versions",
    ] {
      #expect(html.contains(heading), "\(heading) missing")
    }
    #expect(html.contains("empty file (0 bytes)"))
  }

  @Test("evidence.md quotes with (Country, p. N) references, Markdown escaped")
  func evidence() {
    let markdown = read(Self.run, "evidence.md")
    #expect(markdown.hasPrefix("# Evidence by objective and guiding principle"))
    #expect(markdown.contains("## O20 Remittances"))
    #expect(markdown.contains("(review, p. 1)"))
    #expect(markdown.contains("\\<img src=x onerror=alert(2)\\> and \\<b\\>markup\\</b\\>"))
    // No "<" without its escaping backslash.
    #expect(markdown.firstMatch(of: #/[^\\]</#) == nil)
  }
}
