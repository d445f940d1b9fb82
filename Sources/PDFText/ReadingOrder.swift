import GCMapCore

/// Puts positioned lines of a page into reading order by recursive XY-cut.
///
/// Why not poppler's own order: on real reports it sometimes emits a block before the text
/// above it (a side tab on the page throws its flow analysis off), which splits sentences.
/// The cut tries a vertical gutter first (columns are read one after the other), then the
/// widest horizontal gap; where a region holds columns under a full-width line, only gaps
/// next to such spanning lines are cut, so that two columns are never sliced into rows.
/// Limits: left-to-right scripts only; a table `TableLayout` did not find is read column by
/// column (those it found come here as one box each).
public enum ReadingOrder {
  /// Indices of `boxes` in reading order.
  public static func order(_ boxes: [Box]) -> [Int] {
    guard boxes.count > 1 else { return Array(boxes.indices) }
    let heights = boxes.map(\.height).sorted()
    let typicalHeight = max(heights[heights.count / 2], 1)
    var result: [Int] = []
    result.reserveCapacity(boxes.count)
    cut(Array(boxes.indices), boxes, typicalHeight: typicalHeight, into: &result)
    return result
  }

  private static func cut(
    _ members: [Int], _ boxes: [Box], typicalHeight: Double, into result: inout [Int]
  ) {
    if members.count <= 1 {
      result += members
      return
    }
    let minGutter = max(4.0, 0.5 * typicalHeight)
    if let split = verticalSplit(members, boxes, minGutter: minGutter) {
      cut(split.left, boxes, typicalHeight: typicalHeight, into: &result)
      cut(split.right, boxes, typicalHeight: typicalHeight, into: &result)
      return
    }
    if let split = horizontalSplit(members, boxes, minGutter: minGutter) {
      cut(split.top, boxes, typicalHeight: typicalHeight, into: &result)
      cut(split.bottom, boxes, typicalHeight: typicalHeight, into: &result)
      return
    }
    // No clean cut: lines overlap; read top to bottom, then left to right.
    result += members.sorted { lhs, rhs in
      let a = boxes[lhs]
      let b = boxes[rhs]
      if abs(a.y0 - b.y0) > typicalHeight * 0.3 { return a.y0 < b.y0 }
      return a.x0 < b.x0
    }
  }

  /// Gaps between the projections of intervals onto one axis: (gap start, gap end).
  private static func gaps(_ intervals: [(Double, Double)], minimum: Double) -> [(
    Double, Double
  )] {
    let sorted = intervals.sorted { $0.0 < $1.0 }
    guard var reach = sorted.first?.1 else { return [] }
    var found: [(Double, Double)] = []
    for interval in sorted.dropFirst() {
      if interval.0 - reach >= minimum { found.append((reach, interval.0)) }
      reach = max(reach, interval.1)
    }
    return found
  }

  private static func verticalSplit(_ members: [Int], _ boxes: [Box], minGutter: Double) -> (
    left: [Int], right: [Int]
  )? {
    let found = gaps(members.map { (boxes[$0].x0, boxes[$0].x1) }, minimum: minGutter)
    // The widest gutter separates the main columns; the others are cut in recursion.
    guard let gutter = found.max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) else { return nil }
    let middle = (gutter.0 + gutter.1) / 2
    let left = members.filter { boxes[$0].x1 <= middle }
    let right = members.filter { boxes[$0].x1 > middle }
    return left.isEmpty || right.isEmpty ? nil : (left, right)
  }

  private static func horizontalSplit(_ members: [Int], _ boxes: [Box], minGutter: Double) -> (
    top: [Int], bottom: [Int]
  )? {
    var candidates = gaps(members.map { (boxes[$0].y0, boxes[$0].y1) }, minimum: 0.01)
    guard !candidates.isEmpty else { return nil }
    // Columns under (or over) full-width lines: cut only next to a spanning line.
    if let gutterX = columnGutter(members, boxes, minGutter: minGutter) {
      let spanning = members.filter { boxes[$0].x0 < gutterX && boxes[$0].x1 > gutterX }
      let nextToSpanning = candidates.filter { gap in
        spanning.contains { index in
          abs(boxes[index].y1 - gap.0) < 0.5 || abs(boxes[index].y0 - gap.1) < 0.5
        }
      }
      if !nextToSpanning.isEmpty { candidates = nextToSpanning }
    }
    guard let widest = candidates.max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) else { return nil }
    let middle = (widest.0 + widest.1) / 2
    let top = members.filter { boxes[$0].y1 <= middle }
    let bottom = members.filter { boxes[$0].y1 > middle }
    return top.isEmpty || bottom.isEmpty ? nil : (top, bottom)
  }

  /// The x of a gutter that appears once lines wider than 60% of the region are set aside.
  private static func columnGutter(_ members: [Int], _ boxes: [Box], minGutter: Double)
    -> Double?
  {
    let left = members.map { boxes[$0].x0 }.min() ?? 0
    let right = members.map { boxes[$0].x1 }.max() ?? 0
    let width = right - left
    guard width > 0 else { return nil }
    let narrow = members.filter { boxes[$0].width < 0.6 * width }
    guard narrow.count >= 2, narrow.count < members.count else { return nil }
    let found = gaps(narrow.map { (boxes[$0].x0, boxes[$0].x1) }, minimum: minGutter)
    guard let gutter = found.max(by: { ($0.1 - $0.0) < ($1.1 - $1.0) }) else { return nil }
    return (gutter.0 + gutter.1) / 2
  }
}
