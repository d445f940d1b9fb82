import COCR
import Foundation
import GCMapCore

/// Why OCR could not start.
public struct OCRError: Error, Sendable, CustomStringConvertible {
  public var description: String
}

/// A page read by OCR: its lines in reading order, in PDF points, and how sure tesseract was.
public struct RecognizedPage: Sendable, Equatable {
  public var lines: [TextLine]
  /// Mean confidence of the page's words, 0–100; nil when it found no word.
  public var meanConfidence: Double?
  public var words: Int
}

/// Reads page images with tesseract, through its C API; the only place that touches it.
///
/// One recognizer holds one tesseract instance with its language models loaded (a second or
/// so for three languages), and reads pages one at a time: not thread-safe, use one per
/// thread or process. tesseract's own OpenMP threads are limited by OMP_THREAD_LIMIT, which
/// gcmap sets to 1 before the library loads (see `main.swift`): gcmap already reads one
/// document per core, and tesseract's threads then fight over the cores and spin (a page took
/// seven times longer here without it).
public final class TextRecognizer {
  private let handle: OpaquePointer
  /// tesseract's language codes joined by "+", as loaded ("eng+fra+spa").
  public let languages: String

  /// The version of the tesseract library this process runs with: its reading can change
  /// from one version to the next, so caches are keyed by it.
  public static var version: String {
    guard let version = TessVersion() else { return "unknown" }
    return String(cString: version)
  }

  /// tesseract's code for gcmap's language code ("en" → "eng"); nil for a language it has no
  /// model for here.
  public static func code(_ language: String) -> String? {
    ["en": "eng", "fr": "fra", "es": "spa", "ar": "ara", "ru": "rus", "zh": "chi_sim"][language]
  }

  /// The tesseract model for a page in a script other than Latin, as tesseract's orientation
  /// and script detection names it (Arabic, Cyrillic, Han); nil for Latin and the rest.
  public static func model(forScript script: String) -> String? {
    switch script {
    case "Arabic": return "ara"
    case "Cyrillic": return "rus"
    case "Han", "HanS", "HanT", "Hiragana", "Katakana": return "chi_sim"
    default: return nil
    }
  }

  /// The script of the text on `image` (tesseract's orientation and script detection, with
  /// its model "osd"): "Latin", "Arabic", "Cyrillic", "Han"...; nil when the model is not
  /// installed or the detection is unsure (confidence under 2, under 0.5 for Han, as on a
  /// page of few words).
  /// Why: a scanned document has no text to tell its language by, and read with the English,
  /// French and Spanish models an Arabic, Russian or Chinese page gives no words.
  public static func script(of image: GreyImage) -> String? {
    guard let handle = TessBaseAPICreate() else { return nil }
    defer { TessBaseAPIDelete(handle) }
    _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
    guard TessBaseAPIInit3(handle, nil, "osd") == 0 else { return nil }
    defer { TessBaseAPIEnd(handle) }
    image.pixels.withUnsafeBufferPointer { pixels in
      TessBaseAPISetImage(
        handle, pixels.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
    }
    TessBaseAPISetSourceResolution(handle, Int32(image.dpi))
    var degrees: Int32 = 0
    var orientationConfidence: Float = 0
    var name: UnsafePointer<CChar>?
    var confidence: Float = 0
    guard
      TessBaseAPIDetectOrientationScript(
        handle, &degrees, &orientationConfidence, &name, &confidence) != 0,
      let name
    else { return nil }
    // The name points into the model's character set (tesseract 5's header says to free it,
    // but its code hands out that pointer): copied, never freed.
    let script = String(cString: name)
    // tesseract is much less sure of Han than of alphabets (0.7 on a clean Chinese page,
    // 10 to 50 on Latin, Cyrillic and Arabic ones).
    let needed: Float = script.hasPrefix("Han") ? 0.5 : 2
    return confidence >= needed ? script : nil
  }

  /// Where tesseract looks for its models: $TESSDATA_PREFIX, else Debian's folder.
  public static var dataFolder: URL? {
    if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"] {
      return URL(fileURLWithPath: prefix)
    }
    let root = URL(fileURLWithPath: "/usr/share/tesseract-ocr")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return versions.sorted().last.map { root.appendingPathComponent($0 + "/tessdata") }
  }

  /// Each language's model file, where it is installed.
  public static func modelFiles(_ languages: [String]) -> [(name: String, url: URL?)] {
    languages.map { language in
      let url = dataFolder?.appendingPathComponent(language + ".traineddata")
      return (language, url.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil })
    }
  }

  /// Loads the models of `languages` (tesseract codes such as "eng"); fails with a clear
  /// reason when one is not installed.
  public init(languages: [String]) throws(OCRError) {
    guard let handle = TessBaseAPICreate() else {
      throw OCRError(description: "tesseract could not start")
    }
    let joined = languages.joined(separator: "+")
    // Debug messages ("Estimating resolution...") go nowhere: stderr belongs to gcmap.
    _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
    guard TessBaseAPIInit3(handle, nil, joined) == 0 else {
      TessBaseAPIDelete(handle)
      throw OCRError(
        description: "tesseract has no model for \(joined) (install tesseract-ocr-"
          + languages.joined(separator: ", tesseract-ocr-") + ")")
    }
    self.handle = handle
    self.languages = joined
  }

  deinit {
    TessBaseAPIEnd(handle)
    TessBaseAPIDelete(handle)
  }

  /// Reads `image`: lines with their boxes in PDF points (a paragraph's first line starts a
  /// block) and the words' mean confidence.
  public func recognize(_ image: GreyImage) -> RecognizedPage {
    defer { TessBaseAPIClear(handle) }
    image.pixels.withUnsafeBufferPointer { pixels in
      TessBaseAPISetImage(
        handle, pixels.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
    }
    TessBaseAPISetSourceResolution(handle, Int32(image.dpi))
    guard TessBaseAPIRecognize(handle, nil) == 0 else {
      return RecognizedPage(lines: [], meanConfidence: nil, words: 0)
    }
    let toPoints = 72 / Double(image.dpi)
    var lines: [TextLine] = []
    if let iterator = TessBaseAPIGetIterator(handle) {
      defer { TessResultIteratorDelete(iterator) }
      let page = TessResultIteratorGetPageIterator(iterator)
      repeat {
        guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_TEXTLINE) else { continue }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        TessDeleteText(raw)
        guard !text.isEmpty else { continue }
        var left: Int32 = 0
        var top: Int32 = 0
        var right: Int32 = 0
        var bottom: Int32 = 0
        _ = TessPageIteratorBoundingBox(page, RIL_TEXTLINE, &left, &top, &right, &bottom)
        let box = Box(
          x0: Double(left) * toPoints, y0: Double(top) * toPoints, x1: Double(right) * toPoints,
          y1: Double(bottom) * toPoints)
        lines.append(
          TextLine(
            text: text, box: box, fontSize: box.y1 - box.y0,
            startsBlock: lines.isEmpty || TessPageIteratorIsAtBeginningOf(page, RIL_PARA) != 0))
      } while TessResultIteratorNext(iterator, RIL_TEXTLINE) != 0
    }
    var words = 0
    var confidence = 0.0
    if let iterator = TessBaseAPIGetIterator(handle) {
      defer { TessResultIteratorDelete(iterator) }
      repeat {
        guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
        let isWord = String(cString: raw).contains { $0.isLetter || $0.isNumber }
        TessDeleteText(raw)
        guard isWord else { continue }
        words += 1
        confidence += Double(TessResultIteratorConfidence(iterator, RIL_WORD))
      } while TessResultIteratorNext(iterator, RIL_WORD) != 0
    }
    return RecognizedPage(
      lines: lines, meanConfidence: words > 0 ? confidence / Double(words) : nil, words: words)
  }
}
