import GCMapCore
import TestSupport
import TextProcessing

/// The shipped English vocabulary, loaded once.
let english: Vocabulary = {
  do {
    return try Vocabulary.load(
      folder: Repository.corpus.appendingPathComponent("wordlists"), language: "en")
  } catch {
    fatalError("cannot load Corpus/wordlists/en.txt: \(error)")
  }
}()

/// One page of plain text, lines as given, blank lines as block breaks.
func page(_ text: String, number: Int = 1) -> Page {
  Page.fromPlainText(text, number: number)
}

/// A line at a position on an A4 page (595 x 842 points).
func line(_ text: String, y: Double, x: Double = 56, width: Double = 300, startsBlock: Bool = true)
  -> TextLine
{
  TextLine(
    text: text, box: Box(x0: x, y0: y, x1: x + width, y1: y + 10), fontSize: 10,
    startsBlock: startsBlock)
}

func a4(_ number: Int, _ lines: [TextLine]) -> Page {
  Page(number: number, width: 595, height: 842, lines: lines)
}

extension Array where Element == Page {
  /// All lines' text, page after page.
  var lineTexts: [String] { flatMap { $0.lines.map(\.text) } }
}
