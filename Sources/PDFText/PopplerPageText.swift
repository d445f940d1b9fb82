import CPoppler
import GCMapCore

/// Turns one poppler page into lines with geometry, in reading order.
///
/// poppler gives the page text and one rectangle per character (1:1 with the text's Unicode
/// scalars) plus font attributes per character range. Lines are poppler's; they are split where
/// a gap wider than a few glyphs shows two cells or columns on one baseline, ordered by
/// `ReadingOrder`, and marked where a block starts (a gap larger than the page's usual leading,
/// a change of column, size or weight). If the rectangles do not match the text, the page falls
/// back to poppler's own order without geometry.
enum PopplerPageText {
  private struct Glyph {
    var scalar: Unicode.Scalar
    var box: Box
    var bold: Bool
  }

  private struct Fragment {
    var glyphs: [Glyph]
    var box: Box
    var height: Double
    var isVertical: Bool
    var text: String
    var bold: Bool
  }

  static func read(_ page: OpaquePointer, number: Int) -> Page {
    var width = 0.0
    var height = 0.0
    poppler_page_get_size(page, &width, &height)
    guard let cText = poppler_page_get_text(page) else {
      return Page(number: number, width: width, height: height, lines: [])
    }
    let text = String(cString: cText)
    g_free(cText)
    let scalars = Array(text.unicodeScalars)

    var rectangles: UnsafeMutablePointer<PopplerRectangle>?
    var rectangleCount: guint = 0
    let hasLayout = poppler_page_get_text_layout(page, &rectangles, &rectangleCount) != 0
    defer { if let rectangles { g_free(rectangles) } }
    guard hasLayout, let rectangles, Int(rectangleCount) == scalars.count else {
      return Page(number: number, width: width, height: height, lines: plainLines(text))
    }
    let bold = boldFlags(page, count: scalars.count)

    var lines: [[Glyph]] = [[]]
    for index in scalars.indices {
      let scalar = scalars[index]
      if scalar == "\n" {
        lines.append([])
        continue
      }
      let r = rectangles[index]
      let box = Box(
        x0: min(r.x1, r.x2), y0: min(r.y1, r.y2), x1: max(r.x1, r.x2), y1: max(r.y1, r.y2))
      lines[lines.count - 1].append(Glyph(scalar: scalar, box: box, bold: bold[index]))
    }
    let fragments = lines.flatMap(splitAtWideGaps).compactMap(makeFragment)
    let horizontal = fragments.filter { !$0.isVertical }
    let vertical = fragments.filter(\.isVertical).sorted {
      ($0.box.x0, $0.box.y0) < ($1.box.x0, $1.box.y0)
    }
    let ordered = ReadingOrder.order(horizontal.map(\.box)).map { horizontal[$0] } + vertical
    return Page(
      number: number, width: width, height: height, lines: markBlocks(ordered))
  }

  /// Lines without geometry, for pages whose layout poppler could not give.
  private static func plainLines(_ text: String) -> [TextLine] {
    Page.fromPlainText(text, number: 0).lines
  }

  /// Per character: is its font bold? From poppler's text attributes (character ranges).
  private static func boldFlags(_ page: OpaquePointer, count: Int) -> [Bool] {
    var flags = [Bool](repeating: false, count: count)
    guard let attributes = poppler_page_get_text_attributes(page) else { return flags }
    defer { poppler_page_free_text_attributes(attributes) }
    // A page names few fonts over many ranges: each name is judged once.
    var boldByName: [String: Bool] = [:]
    var node: UnsafeMutablePointer<GList>? = attributes
    while let current = node {
      if let raw = current.pointee.data {
        let attribute = raw.assumingMemoryBound(to: PopplerTextAttributes.self).pointee
        let name = attribute.font_name.map { String(cString: $0) } ?? ""
        let isBold: Bool
        if let known = boldByName[name] {
          isBold = known
        } else {
          let lower = name.lowercased()
          isBold = Self.boldMarkers.contains { lower.contains($0) }
          boldByName[name] = isBold
        }
        if isBold {
          let start = max(0, Int(attribute.start_index))
          let end = min(count - 1, Int(attribute.end_index))
          if start <= end { for index in start...end { flags[index] = true } }
        }
      }
      node = current.pointee.next
    }
    return flags
  }

  private static let boldMarkers = ["bold", "black", "heavy", "semibold", "demi"]

  /// Splits a poppler line where the space between two glyphs is wider than three line
  /// heights: table cells or side-by-side columns that poppler put on one line.
  private static func splitAtWideGaps(_ glyphs: [Glyph]) -> [[Glyph]] {
    let visible = glyphs.filter { !$0.scalar.isSpace }
    guard visible.count > 1 else { return [glyphs] }
    let lineHeight = median(visible.map(\.box.height))
    var parts: [[Glyph]] = [[]]
    var lastVisible: Glyph?
    for glyph in glyphs {
      if !glyph.scalar.isSpace {
        if let previous = lastVisible, glyph.box.x0 - previous.box.x1 > 3 * lineHeight,
          abs(glyph.box.y0 - previous.box.y0) < lineHeight
        {
          parts.append([])
        }
        lastVisible = glyph
      }
      parts[parts.count - 1].append(glyph)
    }
    return parts
  }

  private static func makeFragment(_ glyphs: [Glyph]) -> Fragment? {
    let visible = glyphs.filter { !$0.scalar.isSpace }
    guard let first = visible.first else { return nil }
    let box = visible.dropFirst().reduce(first.box) { $0.union($1.box) }
    var start = 0
    var end = glyphs.count
    while start < end, isBlank(glyphs[start].scalar) { start += 1 }
    while end > start, isBlank(glyphs[end - 1].scalar) { end -= 1 }
    let text = String(scalars: glyphs[start..<end].lazy.map(\.scalar))
    let centersX = visible.map { ($0.box.x0 + $0.box.x1) / 2 }
    let centersY = visible.map { ($0.box.y0 + $0.box.y1) / 2 }
    let spreadX = (centersX.max() ?? 0) - (centersX.min() ?? 0)
    let spreadY = (centersY.max() ?? 0) - (centersY.min() ?? 0)
    let isVertical = visible.count >= 3 && spreadY > 2 * max(spreadX, 1)
    let sizes = visible.map { isVertical ? $0.box.width : $0.box.height }
    let boldCount = visible.filter(\.bold).count
    return Fragment(
      glyphs: glyphs, box: box, height: median(sizes), isVertical: isVertical, text: text,
      bold: boldCount * 2 > visible.count)
  }

  /// What `trimmingCharacters(in: .whitespaces)` trims: space separators and the tab.
  private static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return value == 0x20 || value == 0x09 }
    return scalar.properties.generalCategory == .spaceSeparator
  }

  /// Marks where blocks start: a gap clearly larger than the page's usual leading, a jump back
  /// up (next column), a change of size, the end of a short line in another weight, or a
  /// vertical line.
  private static func markBlocks(_ fragments: [Fragment]) -> [TextLine] {
    var leadings: [Double] = []
    for (previous, current) in zip(fragments, fragments.dropFirst())
    where !previous.isVertical && !current.isVertical {
      let gap = current.box.y0 - previous.box.y1
      if gap > -previous.height, gap < 2 * previous.height { leadings.append(gap) }
    }
    let usualLeading = leadings.isEmpty ? 0 : median(leadings)
    var lines: [TextLine] = []
    var previous: Fragment?
    for fragment in fragments {
      var startsBlock = true
      if let previous, !fragment.isVertical, !previous.isVertical {
        let gap = fragment.box.y0 - previous.box.y1
        let sameSize = abs(fragment.height - previous.height) <= 0.25 * previous.height
        let below = fragment.box.y0 > previous.box.y0 + 0.3 * previous.height
        let overlapsX = fragment.box.x0 < previous.box.x1 && fragment.box.x1 > previous.box.x0
        // A change of weight after a short line is a heading; after a full line it is a bold
        // lead-in phrase inside a paragraph, as in the Compact's lettered actions.
        let previousIsShort = previous.box.x1 < fragment.box.x1 - 2 * previous.height
        let headingEnds = fragment.bold != previous.bold && previousIsShort
        startsBlock =
          !below || !overlapsX || !sameSize || headingEnds
          || gap > usualLeading + 0.4 * previous.height
      }
      lines.append(
        TextLine(
          text: fragment.text, box: fragment.box, fontSize: fragment.height,
          isBold: fragment.bold, isVertical: fragment.isVertical, startsBlock: startsBlock))
      previous = fragment
    }
    return lines
  }

  private static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
  }
}
