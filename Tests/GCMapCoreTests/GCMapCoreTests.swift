import Foundation
import GCMapCore
import Testing

@Suite("Pages")
struct PageTests {
  @Test("Plain text: blank lines start blocks, the text round-trips with one blank line")
  func plainText() {
    let page = Page.fromPlainText("Title\n\nFirst line\nsecond line\n\n\nNext", number: 2)
    #expect(page.number == 2)
    #expect(page.lines.map(\.text) == ["Title", "First line", "second line", "Next"])
    #expect(page.lines.map(\.startsBlock) == [true, true, false, true])
    #expect(page.text == "Title\n\nFirst line\nsecond line\n\nNext")
  }

  @Test("Windows line ends are line ends")
  func crlf() {
    #expect(Page.fromPlainText("a\r\nb", number: 1).lines.map(\.text) == ["a", "b"])
  }
}

@Suite("Scalar classes")
struct ScalarClassTests {
  @Test("isBlank is Foundation's .whitespaces, over every scalar")
  func blanks() {
    var differing: [UInt32] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      if scalar.isBlank != CharacterSet.whitespaces.contains(scalar) { differing.append(value) }
    }
    #expect(differing.isEmpty, "\(differing.map { String($0, radix: 16) })")
  }

  @Test("Scalars that stand alone never join each other into one character")
  func standAlone() {
    let scalars = (UInt32(0)...0x3000).compactMap(Unicode.Scalar.init).filter(\.standsAlone)
    #expect(scalars.count > 1600)
    var joined = 0
    for first in scalars {
      var text = String()
      text.unicodeScalars.append(first)
      for second in scalars where !(first == "\r" && second == "\n") {
        var pair = text
        pair.unicodeScalars.append(second)
        if pair.count != 2 { joined += 1 }
      }
    }
    #expect(joined == 0)
  }

  @Test(
    "trimmingBlanks trims what Foundation's trimming of .whitespaces trims",
    arguments: [
      "", " ", "  a  ", "\ta\t", "\u{A0}é\u{2003}", " \u{301}x ", "x\n", "\n x \n",
      "\u{3000}字\u{3000}",
      "a b", "\u{200B}a\u{200B}", " “quoted” ",
    ])
  func trimming(text: String) {
    let foundation = text.trimmingCharacters(in: .whitespaces)
    #expect(text.trimmingBlanks.unicodeScalars.elementsEqual(foundation.unicodeScalars))
  }
}
