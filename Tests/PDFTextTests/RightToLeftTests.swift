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

  @Test("A short vowel poppler set before its alef is dropped, and the alef joins its word")
  func strayMarks() {
    #expect(
      String(scalars: PopplerPageText.strayMarksMended(scalars("وقد \u{064F}أ غلق المكتب")))
        == "وقد أغلق المكتب")
    // Marks after their letters stay; two words stay two words.
    let vocalized = "كَتَبَ الطالبُ درسه"
    #expect(String(scalars: PopplerPageText.strayMarksMended(scalars(vocalized))) == vocalized)
  }
}
