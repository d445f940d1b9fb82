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
