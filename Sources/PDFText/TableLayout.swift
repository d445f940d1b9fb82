import GCMapCore

/// Finds tables on a page from its lines' geometry: rows of cells whose tops align, in columns.
///
/// Why: read as prose, column by column or with the lines of neighbouring cells run together,
/// a table of measures by objective loses its sentences and a budget table's cells run into
/// paragraphs. Here a table is a run of at least two rows. A row is a band of two or more
/// lines side by side whose tops align; a cell's further lines sit below it in its column.
/// Three tests tell a table from text set in columns: one column of two cells or more is at
/// most half as wide as the widest (equal columns are a two- or three-column page), unless
/// every cell is one line of at most three words (a grid of names and figures); rows
/// follow each other closely (a page's footer is no row) and are set apart by more than
/// a cell's own leading (a margin note beside a paragraph is not a row); and the cells of a
/// wide column do not run on from row to row in lower case (a sentence continued on the next
/// line is prose). Limits: cells spanning columns, cells centred vertically in their row and
/// tables of equal-width columns of longer text are not found, and are read as before.
enum TableLayout {
  struct Table {
    /// Per row, its cells left to right, each the indices of its lines top to bottom.
    var rows: [[[Int]]]
    /// True when the first row is the column headers (all its cells bold).
    var hasHeader: Bool
    var box: Box
    var members: [Int] { rows.flatMap { $0.flatMap { $0 } } }
  }

  /// The tables among `boxes` (lines of one page, any order). `texts` and `bold` are the
  /// lines' texts and weights; `lineHeight` the page's typical glyph height.
  static func find(_ boxes: [Box], texts: [String], bold: [Bool], lineHeight: Double) -> [Table] {
    guard boxes.count >= 4 else { return [] }
    let height = max(lineHeight, 1)
    let bands = makeBands(boxes, height: height)
    var tables: [Table] = []
    var index = 0
    while index < bands.count {
      guard bands[index].count >= 2,
        let grown = grow(from: index, bands, boxes, height: height)
      else {
        index += 1
        continue
      }
      if isTable(grown.rows, boxes, texts: texts) {
        var table = Table(
          rows: grown.rows,
          hasHeader: grown.rows[0].allSatisfy { cell in cell.allSatisfy { bold[$0] } },
          box: boxes[grown.rows[0][0][0]])
        table.box = table.members.reduce(table.box) { $0.union(boxes[$1]) }
        tables.append(table)
        index = grown.nextBand
      } else {
        index += 1
      }
    }
    return tables
  }

  /// Lines grouped by top (within a third of a line's height), top to bottom; each band's
  /// lines left to right. A band holds side-by-side lines only when they do not overlap.
  private static func makeBands(_ boxes: [Box], height: Double) -> [[Int]] {
    let byTop = boxes.indices.sorted { (boxes[$0].y0, boxes[$0].x0) < (boxes[$1].y0, boxes[$1].x0) }
    var bands: [[Int]] = []
    var bandTop = -Double.infinity
    for index in byTop {
      if boxes[index].y0 - bandTop <= height / 3, !bands.isEmpty {
        bands[bands.count - 1].append(index)
      } else {
        bands.append([index])
        bandTop = boxes[index].y0
      }
    }
    return bands.flatMap { band -> [[Int]] in
      let sorted = band.sorted { boxes[$0].x0 < boxes[$1].x0 }
      let apart = zip(sorted, sorted.dropFirst()).allSatisfy { left, right in
        boxes[right].x0 - boxes[left].x1 >= height
      }
      // Overlapping lines on one top are not cells: each is a band of its own.
      return apart ? [sorted] : sorted.map { [$0] }
    }
  }

  /// The rows of the table that starts at band `start`, and the first band after it; nil when
  /// not even a second row follows.
  private static func grow(
    from start: Int, _ bands: [[Int]], _ boxes: [Box], height: Double
  ) -> (rows: [[[Int]]], nextBand: Int)? {
    var columns = bands[start].map { (boxes[$0].x0, boxes[$0].x1) }
    var rows: [[[Int]]] = [bands[start].map { [$0] }]
    var band = start + 1
    func column(of index: Int) -> Int? {
      let box = boxes[index]
      let hits = columns.indices.filter { columns[$0].0 < box.x1 && box.x0 < columns[$0].1 }
      return hits.count == 1 ? hits[0] : nil
    }
    scan: while band < bands.count {
      let lines = bands[band]
      let places = lines.map(column(of:))
      guard places.allSatisfy({ $0 != nil }), Set(places).count == places.count else { break }
      let slots = places.compactMap { $0 }
      let current = rows[rows.count - 1]
      // Where is each line's column cell in the current row?
      func cellIndex(_ slot: Int) -> Int? {
        current.firstIndex { cell in column(of: cell[0]) == slot }
      }
      if lines.count >= 2 {
        // A new row: close under the row above (a footer's band far below is not one), and
        // further below each cell above it than that cell's leading.
        let rowBottom = current.flatMap { $0 }.map { boxes[$0].y1 }.max() ?? 0
        guard boxes[lines[0]].y0 - rowBottom < 3 * height else { break }
        for (line, slot) in zip(lines, slots) {
          guard let above = cellIndex(slot) else { continue }
          let cell = current[above]
          guard let last = cell.last else { continue }
          let gap = boxes[line].y0 - boxes[last].y0
          let leading = cell.count >= 2 ? boxes[cell[1]].y0 - boxes[cell[0]].y0 : 1.2 * height
          if gap <= leading + 0.3 * height { break scan }
        }
        rows.append(lines.map { [$0] })
      } else {
        // A further line of a cell: under its column's cell in this row, within a line.
        guard let above = cellIndex(slots[0]), let last = current[above].last,
          boxes[lines[0]].y0 - boxes[last].y1 < height
        else { break }
        rows[rows.count - 1][above].append(lines[0])
      }
      for (line, slot) in zip(lines, slots) {
        columns[slot] = (min(columns[slot].0, boxes[line].x0), max(columns[slot].1, boxes[line].x1))
      }
      band += 1
    }
    guard rows.count >= 2 else { return nil }
    return (rows, band)
  }

  /// The column tests: one column at most half as wide as the widest, and the wide columns'
  /// cells not running on from row to row in lower case.
  private static func isTable(_ rows: [[[Int]]], _ boxes: [Box], texts: [String]) -> Bool {
    // Columns by the order of a row's cells is not enough (a row may skip one): group cells
    // by their first line's left edge instead.
    var widths: [(x0: Double, width: Double)] = []
    var cellsByColumn: [[[Int]]] = []
    for row in rows {
      for cell in row {
        let left = boxes[cell[0]].x0
        let width = cell.map { boxes[$0].width }.max() ?? 0
        if let slot = widths.firstIndex(where: { abs($0.x0 - left) < 0.5 * max(width, 1) }) {
          widths[slot].width = max(widths[slot].width, width)
          cellsByColumn[slot].append(cell)
        } else {
          widths.append((left, width))
          cellsByColumn.append([cell])
        }
      }
    }
    // A grid of short cells (one line of at most three words each: names, figures) is a
    // table whatever its columns' widths; text set in columns has longer lines.
    let shortCells = rows.allSatisfy { row in
      row.allSatisfy { cell in cell.count == 1 && texts[cell[0]].split(separator: " ").count <= 3 }
    }
    if shortCells && widths.count >= 2 { return true }
    // The narrow column holds at least two cells, each narrow: a paragraph's short last line
    // beside a full line of the next column makes no column narrow.
    guard widths.count >= 2, let widest = widths.map(\.width).max(), widest > 0,
      widths.indices.contains(where: {
        widths[$0].width <= 0.5 * widest && cellsByColumn[$0].count >= 2
      })
    else { return false }
    var pairs = 0
    var runOn = 0
    for (slot, cells) in cellsByColumn.enumerated() where widths[slot].width > 0.5 * widest {
      for (upper, lower) in zip(cells, cells.dropFirst()) {
        guard let last = upper.last, let first = lower.first else { continue }
        pairs += 1
        let ends = texts[last].last.map { ".;:!?".contains($0) } ?? false
        let continues = texts[first].first(where: \.isLetter)?.isLowercase ?? false
        if continues && !ends { runOn += 1 }
      }
    }
    return runOn * 3 <= pairs
  }
}
