/// A rectangle on a page, in PDF points with the origin at the top-left corner.
///
/// Extraction reports where each line sits so that later stages can tell page furniture
/// (margins, side tabs) from body text and measure gaps between lines.
public struct Box: Sendable, Equatable, Codable {
  public var x0: Double
  public var y0: Double
  public var x1: Double
  public var y1: Double

  public init(x0: Double, y0: Double, x1: Double, y1: Double) {
    self.x0 = x0
    self.y0 = y0
    self.x1 = x1
    self.y1 = y1
  }

  public var width: Double { x1 - x0 }
  public var height: Double { y1 - y0 }

  /// The box reflected left to right on a page `width` wide.
  public func mirrored(width: Double) -> Box {
    Box(x0: width - x1, y0: y0, x1: width - x0, y1: y1)
  }

  /// The smallest box holding both.
  public func union(_ other: Box) -> Box {
    Box(
      x0: min(x0, other.x0), y0: min(y0, other.y0),
      x1: max(x1, other.x1), y1: max(y1, other.y1))
  }
}

/// One line of text on a page, in reading order, with what extraction knows of its layout.
///
/// Plain-text input has no geometry: `box` and `fontSize` are nil there, and paragraph breaks
/// come from blank lines (`startsBlock`).
public struct TextLine: Sendable, Equatable, Codable {
  public var text: String
  /// Where the line sits; nil when the source had no layout (plain text).
  public var box: Box?
  /// Typical glyph height of the line in points, a stand-in for the font size.
  public var fontSize: Double?
  public var isBold: Bool
  /// True when the line is set vertically (a rotated side tab or margin note).
  public var isVertical: Bool
  /// True when layout or a blank line says a new block (paragraph, heading, cell) starts here.
  public var startsBlock: Bool
  /// Set when the line is a cell's line in a table found from the page's geometry: the row
  /// of column headers or a body row (each row one block, its cells left to right).
  public var table: TableRole?

  public init(
    text: String, box: Box? = nil, fontSize: Double? = nil, isBold: Bool = false,
    isVertical: Bool = false, startsBlock: Bool = false, table: TableRole? = nil
  ) {
    self.text = text
    self.box = box
    self.fontSize = fontSize
    self.isBold = isBold
    self.isVertical = isVertical
    self.startsBlock = startsBlock
    self.table = table
  }
}

/// A table line's place: in the row of column headers, or in a body row.
public enum TableRole: String, Sendable, Equatable, Codable {
  case header, row
}

/// One page of a document: its 1-based number, size and lines in reading order.
public struct Page: Sendable, Equatable, Codable {
  public var number: Int
  /// Page size in points; nil for plain-text input.
  public var width: Double?
  public var height: Double?
  public var lines: [TextLine]
  /// For a page read by OCR, the mean confidence of its words (0–100); nil for a page read
  /// from its text layer.
  public var ocrConfidence: Double?

  public init(
    number: Int, width: Double? = nil, height: Double? = nil, lines: [TextLine],
    ocrConfidence: Double? = nil
  ) {
    self.number = number
    self.width = width
    self.height = height
    self.lines = lines
    self.ocrConfidence = ocrConfidence
  }

  /// The page as text: lines joined by newlines, a blank line before each new block.
  ///
  /// Passage offsets count Unicode scalars in this string.
  public var text: String {
    var out = ""
    for (index, line) in lines.enumerated() {
      if index > 0 { out += line.startsBlock ? "\n\n" : "\n" }
      out += line.text
    }
    return out
  }

  /// Builds a page from plain text: one line per text line, a blank line starts a new block.
  public static func fromPlainText(_ text: String, number: Int) -> Page {
    var lines: [TextLine] = []
    var pendingBreak = false
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let line = String(raw)
      if line.allSatisfy({ $0.isWhitespace }) {
        pendingBreak = true
        continue
      }
      lines.append(TextLine(text: line, startsBlock: pendingBreak || lines.isEmpty))
      pendingBreak = false
    }
    return Page(number: number, lines: lines)
  }
}

/// A file given to gcmap, identified by its content.
public struct SourceDocument: Sendable, Equatable, Codable {
  /// Stable id used in every output row: the file name without its extension.
  public var id: String
  public var path: String
  public var sha256: String
  public var size: Int

  public init(id: String, path: String, sha256: String, size: Int) {
    self.id = id
    self.path = path
    self.sha256 = sha256
    self.size = size
  }
}

/// A paragraph-sized piece of a document: the unit that is classified and quoted as evidence.
///
/// `start` is an offset into `Page.text` of page `page`, `end` into that of `endPage`
/// (both count Unicode scalars, end exclusive). Most passages sit on one page; a paragraph
/// that runs on from one page to the next keeps both page numbers. `text` is that span with
/// line breaks folded into single spaces, except that a paragraph continued past its page's
/// footnotes spans them while its text leaves them out (they are passages of their own).
public struct Passage: Sendable, Equatable, Codable {
  public var id: String
  public var documentID: String
  public var page: Int
  public var endPage: Int
  public var start: Int
  public var end: Int
  /// The heading the passage sits under, if the document has one above it.
  public var heading: String?
  public var text: String
  /// For text read by OCR, the lowest mean word confidence of its pages (0–100); nil for text
  /// from the PDF's text layer.
  public var ocrConfidence: Double?
  /// True for a table's row found from the page's geometry (its cells left to right).
  public var isTableRow: Bool
  /// True for a page's footnotes, found from their size and place at the page's foot.
  public var isFootnote: Bool

  public init(
    id: String, documentID: String, page: Int, endPage: Int, start: Int, end: Int,
    heading: String?, text: String, ocrConfidence: Double? = nil, isTableRow: Bool = false,
    isFootnote: Bool = false
  ) {
    self.ocrConfidence = ocrConfidence
    self.isTableRow = isTableRow
    self.isFootnote = isFootnote
    self.id = id
    self.documentID = documentID
    self.page = page
    self.endPage = endPage
    self.start = start
    self.end = end
    self.heading = heading
    self.text = text
  }
}

extension Passage {
  /// "p. 3", or "pp. 3-4" for a passage that runs on to the next page: how quotes cite it.
  public var pageReference: String {
    page == endPage ? "p. \(page)" : "pp. \(page)-\(endPage)"
  }
}
