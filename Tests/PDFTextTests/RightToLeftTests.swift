import GCMapCore
import Testing

@testable import PDFText

@Suite("Right-to-left lines from poppler's core layout")
struct RightToLeftTests {
  func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

  @Test("A number or Latin name inside Arabic keeps the space and punctuation after it")
  func leftToRightRuns() {
    // As poppler writes "الهدف 6: تيسير": the embedding opens with " :6".
    let written = "\u{202B}الهدف \u{202A} :6\u{202C}تيسير\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(written))) == "الهدف 6: تيسير")
    // A comma set as its own run.
    let comma = "\u{202B}مؤقتة\u{202A} ،\u{202C}بالتعاون\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(comma))) == "مؤقتة، بالتعاون")
    // Text without controls is left as it is.
    #expect(
      PopplerPageText.leftToRightRunsMended(scalars("plain (text)")) == scalars("plain (text)"))
  }

  @Test("Brackets in right-to-left text are the ones written, and a range of years is in order")
  func bracketsAndRanges() {
    // As poppler writes "المادة 12 (ب) من" and "الدولية (ILO) في" from a Chromium PDF.
    let article = "\u{202B}المادة \u{202A}) 12\u{202C}ب( من\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(article))) == "المادة 12 (ب) من"
    )
    let acronym = "\u{202B}الدولية )\u{202A} (ILO\u{202C}في\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(acronym))) == "الدولية (ILO) في"
    )
    let range = "\u{202B}للفترة \u{202A} 2026-2023\u{202C}آلية\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(range)))
        == "للفترة 2023-2026 آلية")
    // A left-to-right line keeps its brackets; a date is no range.
    let english = "\u{202A}Article (b)\u{202C}"
    #expect(
      String(scalars: PopplerPageText.leftToRightRunsMended(scalars(english))) == "Article (b)")
    #expect(PopplerPageText.numberRangeInOrder(scalars("01/05/2024")) == scalars("01/05/2024"))
  }
}
