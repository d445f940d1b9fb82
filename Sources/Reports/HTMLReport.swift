import Foundation
import GCMapCore

/// What the report says about how it was made.
public struct ReportContext: Sendable {
  public var toolVersion: String
  public var corpusVersion: String
  public var corpusHash: String
  public var pipelineName: String
  /// The pipeline's settings, one "name: value" line each.
  public var settings: [String]
  /// Analysts' decisions applied to the run (`--decisions`), for the Method section.
  public var review: ReviewSummary?

  public init(
    toolVersion: String, corpusVersion: String, corpusHash: String, pipelineName: String,
    settings: [String]
  ) {
    self.toolVersion = toolVersion
    self.corpusVersion = corpusVersion
    self.corpusHash = corpusHash
    self.pipelineName = pipelineName
    self.settings = settings
  }
}

/// What the analysts' decisions applied to a run say, per category: how many of gcmap's labels
/// they confirmed and rejected (changed ones count as rejected), an estimate of precision.
public struct ReviewSummary: Sendable {
  public var file: String
  public var applied: Int
  public var unmatched: Int
  public var byCategory: [(category: String, confirmed: Int, rejected: Int)]

  public init(
    file: String, applied: Int, unmatched: Int,
    byCategory: [(category: String, confirmed: Int, rejected: Int)]
  ) {
    self.file = file
    self.applied = applied
    self.unmatched = unmatched
    self.byCategory = byCategory
  }
}

/// report.html: one self-contained file (no network, no fonts or scripts), for a laptop screen
/// and for print.
///
/// A heatmap of documents × objectives and principles coloured by coverage level, each cell a
/// link to its evidence; a regions table; a section per category; a profile per document with
/// the evidence, matched terms marked; the problems; methodology and versions. Every string
/// that came from a PDF or a file name goes through `escape`; the report has no script, so
/// nothing in it runs.
public enum HTMLReport {
  public static func render(
    documents: [DocumentRecord], problems: [Problem], taxonomy: Taxonomy, context: ReportContext
  ) -> String {
    var out = ""
    compose(
      documents: documents, problems: problems, taxonomy: taxonomy, context: context,
      profile: { document, index in profile(document, number: "\(index + 1)", taxonomy) }
    ) { out += $0 }
    return out
  }

  /// Writes the report to `url` section by section. `profile` gives each document's profile
  /// section (0-based index in id order): a batch renders them as documents arrive, with
  /// `numberToken` for the number, and keeps them on disk meanwhile.
  public static func write(
    documents: [DocumentRecord], problems: [Problem], taxonomy: Taxonomy, context: ReportContext,
    to url: URL, profile: (DocumentRecord, Int) throws -> String
  ) throws {
    let file = try OutputFile(url)
    try compose(
      documents: documents, problems: problems, taxonomy: taxonomy, context: context,
      profile: profile, file.write)
    try file.commit()
  }

  private static func compose(
    documents: [DocumentRecord], problems: [Problem], taxonomy: Taxonomy, context: ReportContext,
    profile: (DocumentRecord, Int) throws -> String, _ write: (String) -> Void
  ) rethrows {
    let sorted = documents.sorted { $0.source.id < $1.source.id }
    write(head(sorted.count, problems.count))
    write(heatmap(sorted, taxonomy))
    write(regions(sorted, taxonomy))
    write(categories(sorted, taxonomy))
    write("<section id=\"documents\">\n<h2>Documents</h2>\n")
    for (index, document) in sorted.enumerated() { write(try profile(document, index)) }
    write("</section>\n")
    write(problemsSection(problems))
    write(methodology(taxonomy, context))
    write("</main>\n</body>\n</html>\n")
  }

  /// Stands for a document's 1-based number in a profile rendered before the numbers are
  /// known. Text from PDFs and file names is escaped, so it cannot contain this.
  public static let numberToken = "<gcmap-number>"

  /// `profile` with every `numberToken` in it replaced by `number`. On the UTF-8 bytes: the
  /// token is ASCII (and text from PDFs is escaped, so never holds it), and `String.replacing`
  /// took a noticeable part of the report stage.
  public static func numbered(_ profile: String, _ number: Int) -> String {
    let token = Array(numberToken.utf8)
    let replacement = Array(String(number).utf8)
    var out: [UInt8] = []
    var profile = profile
    profile.withUTF8 { bytes in
      out.reserveCapacity(bytes.count)
      var index = 0
      while index < bytes.count {
        if bytes[index] == token[0], token.count <= bytes.count - index,
          UnsafeBufferPointer(rebasing: bytes[index..<(index + token.count)]).elementsEqual(token)
        {
          out += replacement
          index += token.count
        } else {
          out.append(bytes[index])
          index += 1
        }
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Escapes text for HTML element content and attribute values.
  public static func escape(_ text: String) -> String {
    let clean = !text.utf8.contains { byte in
      byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }
    if clean { return text }
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  static func documentName(_ document: DocumentRecord) -> String {
    document.metadata.country == "unknown"
      ? document.source.id : "\(document.metadata.countryName) (\(document.source.id))"
  }

  /// The id of a document's evidence for a category; `number` is the document's 1-based
  /// number, or `numberToken`.
  static func anchor(_ number: String, _ category: String) -> String { "ev-\(number)-\(category)" }

  // MARK: Sections

  static func head(_ documentCount: Int, _ problemCount: Int) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>GCM coverage report</title>
    <style>
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Geeza Pro", Tahoma, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 0; color: #1b1b1b; }
    header { background: #0b3d66; color: #fff; padding: 16px 24px; }
    header h1 { margin: 0 0 4px; font-size: 22px; }
    nav a { color: #cfe6ff; margin-right: 14px; }
    main { padding: 8px 24px 48px; max-width: 1400px; }
    h2 { border-bottom: 2px solid #0b3d66; padding-bottom: 4px; margin-top: 32px; }
    table { border-collapse: collapse; }
    th, td { padding: 3px 6px; }
    .heat th.cat { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; font-size: 12px; white-space: nowrap; }
    .heat td.cell { width: 26px; height: 22px; text-align: center; border: 1px solid #fff; font-size: 12px; }
    .heat td.cell a { display: block; color: inherit; text-decoration: none; }
    .heat td.doc { white-space: nowrap; max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
    .heat .sep { border-left: 3px solid #0b3d66; }
    .l-none { background: #f1f1f1; color: #999; }
    .l-mentioned { background: #fbe3a6; }
    .l-addressed { background: #8fcf9c; }
    .l-substantive { background: #1f7a45; color: #fff; }
    .legend span { display: inline-block; padding: 2px 8px; margin-right: 6px; }
    .grid td, .grid th { border: 1px solid #ddd; text-align: right; }
    .grid td:first-child, .grid th:first-child { text-align: left; }
    blockquote { margin: 6px 0 10px; padding: 6px 10px; border-left: 4px solid #8fcf9c; background: #f7faf8; }
    .quote { display: block; unicode-bidi: plaintext; }
    .ref { color: #555; font-size: 12px; white-space: nowrap; }
    .why { color: #555; font-size: 12px; }
    mark { background: #fff0a0; }
    .evidence { margin: 10px 0 18px; }
    dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; }
    dl.meta dt { color: #555; }
    @media print { header { background: none; color: #000; } nav { display: none; } .evidence, blockquote { break-inside: avoid; } a { color: inherit; } }
    </style>
    </head>
    <body>
    <header>
    <h1>GCM coverage report</h1>
    <div>\(documentCount) documents analysed, \(problemCount) files with problems</div>
    <nav><a href="#heatmap">Matrix</a><a href="#regions">Regions</a><a href="#categories">Objectives and principles</a><a href="#documents">Documents</a><a href="#problems">Problems</a><a href="#method">Method</a></nav>
    </header>
    <main>

    """
  }

  static func heatmap(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> String {
    var out = "<section id=\"heatmap\">\n<h2>Coverage matrix</h2>\n"
    out += "<p class=\"legend\">"
    for level in CoverageLevel.allCases {
      out += "<span class=\"l-\(level.rawValue)\">\(level.rawValue)</span>"
    }
    out += " Numbers are labelled passages; a cell links to its evidence.</p>\n"
    out += "<table class=\"heat\">\n<thead><tr><th>Document</th><th>Country</th>"
    for category in taxonomy.categories {
      let separator = category.id == "P01" ? " sep" : ""
      out +=
        "<th class=\"cat\(separator)\" title=\"\(escape(category.shortTitle))\">\(category.id) \(escape(category.shortTitle))</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for (index, document) in documents.enumerated() {
      out +=
        "<tr><td class=\"doc\"><a href=\"#doc-\(index + 1)\">\(escape(document.source.id))</a></td>"
      out += "<td>\(escape(document.metadata.country))</td>"
      for category in taxonomy.categories {
        let cell = document.coverage.cell(category.id)
        let level = cell?.level ?? .none
        let separator = category.id == "P01" ? " sep" : ""
        let title =
          "\(document.source.id) × \(category.id): \(level.rawValue), \(cell?.passages ?? 0) passages"
        out += "<td class=\"cell l-\(level.rawValue)\(separator)\" title=\"\(escape(title))\">"
        if level == .none {
          out += "</td>"
        } else {
          out +=
            "<a href=\"#\(anchor("\(index + 1)", category.id))\">\(cell?.passages ?? 0)</a></td>"
        }
      }
      out += "</tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  static func regions(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> String {
    var out = "<section id=\"regions\">\n<h2>Documents addressing each category, by region</h2>\n"
    out += "<table class=\"grid\">\n<thead><tr><th>Region</th><th>Documents</th>"
    for id in taxonomy.ids { out += "<th>\(id)</th>" }
    out += "</tr></thead>\n<tbody>\n"
    for row in DataFiles.regionRows(documents, taxonomy) {
      let name =
        row.level == "sub-region" ? "&nbsp;&nbsp;\(escape(row.subRegion))" : escape(row.region)
      out += "<tr><td>\(name)</td><td>\(row.documents)</td>"
      for id in taxonomy.ids { out += "<td>\(row.addressing[id] ?? 0)</td>" }
      out += "</tr>\n"
    }
    out += "</tbody>\n</table>\n</section>\n"
    return out
  }

  static func categories(_ documents: [DocumentRecord], _ taxonomy: Taxonomy) -> String {
    var out = "<section id=\"categories\">\n<h2>Objectives and guiding principles</h2>\n"
    let indexOf = Dictionary(
      uniqueKeysWithValues: documents.enumerated().map { ($1.source.id, $0) })
    for category in taxonomy.categories {
      let addressing = EvidencePicker.addressing(documents, category.id)
      out += "<h3 id=\"cat-\(category.id)\">\(category.id) \(escape(category.shortTitle))</h3>\n"
      out += "<p>\(escape(category.title)) (A/RES/73/195, para. \(escape(category.paragraph))). "
      out += "Addressed by <strong>\(addressing.count) of \(documents.count)</strong> documents"
      let byRegion = Dictionary(grouping: addressing) {
        $0.metadata.region.isEmpty ? "unknown" : $0.metadata.region
      }
      if !byRegion.isEmpty {
        out +=
          ": "
          + byRegion.keys.sorted().map { "\(escape($0)) \(byRegion[$0]?.count ?? 0)" }.joined(
            separator: ", ")
      }
      out += ".</p>\n"
      for document in addressing.prefix(5) {
        guard let (passage, score) = EvidencePicker.best(document, category.id, limit: 1).first,
          let index = indexOf[document.source.id]
        else { continue }
        let reference = EvidencePicker.reference(document, passage, score)
        out +=
          "<blockquote><span class=\"quote\" dir=\"auto\">\(escape(EvidenceMarkdown.shorten(passage.text, limit: 400)))</span> "
        out +=
          "<a class=\"ref\" href=\"#\(anchor("\(index + 1)", category.id))\">(\(escape(reference)))</a></blockquote>\n"
      }
    }
    out += "</section>\n"
    return out
  }

  /// One document's profile: its metadata and, per covered category, its best passages.
  /// `number` is its 1-based number in the report (or `numberToken`).
  public static func profile(_ document: DocumentRecord, number: String, _ taxonomy: Taxonomy)
    -> String
  {
    var out = ""
    let metadata = document.metadata
    out +=
      "<h3 id=\"doc-\(number)\">\(escape(documentName(document)))</h3>\n<dl class=\"meta\">"
    let fields: [(String, String)] =
      [
        ("File", document.file), ("Title", metadata.title),
        (
          "Country",
          metadata.country == "unknown"
            ? "unknown"
            : "\(metadata.countryName) (\(metadata.country), \(metadata.countrySource))"
        ),
        (
          "Region",
          [metadata.region, metadata.subRegion].filter { !$0.isEmpty }.joined(separator: ", ")
        ),
        ("Year", metadata.year), ("Language", metadata.language),
        ("Pages", "\(document.pageCount)"), ("Passages", "\(document.coverage.passageCount)"),
        ("SHA-256", document.source.sha256),
      ] + metadata.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    for (name, value) in fields where !value.isEmpty {
      out += "<dt>\(escape(name))</dt><dd>\(escape(value))</dd>"
    }
    out += "</dl>\n"
    let covered = document.coverage.cells.filter { $0.level != .none }
    if covered.isEmpty { out += "<p>No category scores in this document.</p>\n" }
    for cell in covered {
      guard let category = taxonomy.category(cell.category) else { continue }
      out += "<div class=\"evidence\" id=\"\(anchor(number, cell.category))\">\n"
      out +=
        "<h4><a href=\"#cat-\(cell.category)\">\(cell.category)</a> \(escape(category.shortTitle)): "
      out += "<span class=\"l-\(cell.level.rawValue)\">&nbsp;\(cell.level.rawValue)&nbsp;</span> "
      out +=
        "\(cell.passages) of \(document.coverage.passageCount) passages, strongest score \(DataFiles.decimal(cell.strongest))</h4>\n"
      let best = EvidencePicker.best(document, cell.category, limit: EvidencePicker.quotesKept)
      if best.isEmpty {
        out +=
          "<p class=\"why\">No passage is labelled with it; it is named or scores weakly (see passages.csv).</p>\n"
      }
      for (passage, score) in best {
        out +=
          "<blockquote><span class=\"quote\" dir=\"auto\">\(highlight(passage.text, score.terms))</span> "
        let reference = EvidencePicker.reference(document, passage, score)
        out += "<span class=\"ref\">(\(escape(reference)))</span>"
        out +=
          "<br><span class=\"why\">score \(DataFiles.decimal(score.combined)): keyword \(DataFiles.decimal(score.keyword)), "
        out +=
          "tf-idf \(DataFiles.decimal(score.tfidf)), mention \(DataFiles.decimal(score.mention)), heading \(DataFiles.decimal(score.heading))"
        if let heading = passage.heading { out += "; under “\(escape(heading))”" }
        out += "</span></blockquote>\n"
      }
      out += "</div>\n"
    }
    return out
  }

  /// The passage text, escaped, with matched terms in <mark>.
  static func highlight(_ text: String, _ terms: [TermMatch]) -> String {
    let scalars = Array(text.unicodeScalars)
    var marked = [Bool](repeating: false, count: scalars.count)
    for term in terms where term.start < term.end && term.end <= scalars.count {
      for index in term.start..<term.end { marked[index] = true }
    }
    var out = ""
    var index = 0
    while index < scalars.count {
      var end = index
      while end < scalars.count && marked[end] == marked[index] { end += 1 }
      let piece = escape(String(scalars: scalars[index..<end]))
      out += marked[index] ? "<mark>\(piece)</mark>" : piece
      index = end
    }
    return out
  }

  static func problemsSection(_ problems: [Problem]) -> String {
    var out = "<section id=\"problems\">\n<h2>Problems</h2>\n"
    if problems.isEmpty { return out + "<p>Every file was processed whole.</p>\n</section>\n" }
    out +=
      "<table class=\"grid\">\n<thead><tr><th>File</th><th>Problem</th><th>Details</th></tr></thead>\n<tbody>\n"
    for problem in problems.sorted(by: { ($0.file, $0.category) < ($1.file, $1.category) }) {
      out +=
        "<tr><td>\(escape(problem.file))</td><td>\(escape(problem.category))</td><td>\(escape(problem.message))</td></tr>\n"
    }
    return out + "</tbody>\n</table>\n</section>\n"
  }

  /// The analysts' decisions applied: how many, and per category how many of gcmap's labels
  /// they confirmed and rejected, an estimate of gcmap's precision there.
  static func reviewSection(_ review: ReviewSummary, _ taxonomy: Taxonomy) -> String {
    var out = "<h3>Analysts' review</h3>\n<p>\(review.applied) decisions of "
    out += "<code>\(escape(review.file))</code> applied"
    out +=
      review.unmatched > 0
      ? "; \(review.unmatched) match no passage of this run (run.json lists them)" : ""
    out += ". Evidence an analyst confirmed, added or set is marked “reviewed” and quoted first; "
    out += "rejected labels count for nothing (passages.csv lists them).</p>\n"
    guard !review.byCategory.isEmpty else { return out }
    out += "<table class=\"review\"><thead><tr><th>Category</th><th>gcmap's labels confirmed</th>"
    out += "<th>rejected</th><th>estimated precision</th></tr></thead><tbody>\n"
    for row in review.byCategory {
      let title = taxonomy.category(row.category)?.shortTitle ?? ""
      let reviewed = row.confirmed + row.rejected
      let precision =
        reviewed > 0 ? "\(Int((100 * Double(row.confirmed) / Double(reviewed)).rounded()))%" : ""
      out += "<tr><td>\(escape(row.category)) \(escape(title))</td><td>\(row.confirmed)</td>"
      out += "<td>\(row.rejected)</td><td>\(precision) of \(reviewed)</td></tr>\n"
    }
    return out + "</tbody></table>\n"
  }

  static func methodology(_ taxonomy: Taxonomy, _ context: ReportContext) -> String {
    var out = "<section id=\"method\">\n<h2>Method and versions</h2>\n"
    out += """
      <p>Each PDF is extracted page by page with poppler, normalized (Unicode NFKC, lost ligatures repaired, \
      running headers, footers and page numbers removed, line-end hyphens joined) and cut into passages. \
      Each passage is scored against the Compact's 23 objectives and 10 guiding principles: <em>keyword</em> \
      (the category's lexicon, on word stems), <em>tf-idf</em> (similarity with the Compact's own text for the \
      category, with IDF fitted on the Compact, never on the batch), <em>mention</em> (the passage names the \
      objective or principle) and <em>heading</em> (the heading above it does). A category is a label of a \
      passage when the weighted sum reaches the pipeline's threshold. A generic word (\u{201C}data\u{201D}, \
      \u{201C}border\u{201D}) counts only near a word of migration, and in a document that is not about \
      migration as a whole (few migration words per 1,000), a passage without one gets only the objectives it \
      names. Report apparatus (methodology, questionnaires, references) gets no label. A document \
      <em>addresses</em> a category \
      when at least one passage carries it, covers it <em>substantively</em> when at least three do and \
      they make at least an even share (1/23) of its passages, report apparatus (methodology, \
      questionnaires, references) left out, and \
      <em>mentions</em> it when it is named or scores weakly. Results are computed per document: adding a \
      document to a batch changes no other document's results.</p>

      """
    out += "<dl class=\"meta\">"
    let versions: [(String, String)] = [
      ("gcmap", context.toolVersion),
      ("Taxonomy", "\(taxonomy.categories.count) categories, version \(context.corpusVersion)"),
      ("Corpus SHA-256", context.corpusHash), ("Pipeline", context.pipelineName),
    ]
    for (name, value) in versions { out += "<dt>\(escape(name))</dt><dd>\(escape(value))</dd>" }
    out += "</dl>\n<h3>Pipeline settings</h3>\n<ul>\n"
    for line in context.settings { out += "<li>\(escape(line))</li>\n" }
    out += "</ul>\n"
    if let review = context.review { out += reviewSection(review, taxonomy) }
    out += "</section>\n"
    return out
  }
}
