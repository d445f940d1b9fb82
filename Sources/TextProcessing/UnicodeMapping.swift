import CUtf8proc
import Foundation

/// Unicode normalization and folding through utf8proc, a C library made for exactly this.
///
/// Why: Foundation's normalization of a whole line was slow, and an earlier table built
/// from Foundation at start-up covered only scalars that stand alone. utf8proc maps any text in
/// one pass, from Unicode's own data. Invalid UTF-8 cannot occur in a Swift string; should
/// utf8proc still refuse a text, it is returned unchanged.
public enum UnicodeMapping {
  /// NFKC: compatibility decomposition, then canonical composition ("ﬁ" → "fi", U+00A0 → " ").
  public static func nfkc(_ text: String) -> String {
    map(text, UTF8PROC_STABLE.rawValue | UTF8PROC_COMPOSE.rawValue | UTF8PROC_COMPAT.rawValue)
  }

  /// Case folded and stripped of diacritics, composed: "MIGRACIÓN" → "migracion",
  /// "Straße" → "strasse".
  public static func foldCaseAndAccents(_ text: String) -> String {
    map(
      text,
      UTF8PROC_STABLE.rawValue | UTF8PROC_COMPOSE.rawValue | UTF8PROC_CASEFOLD.rawValue
        | UTF8PROC_STRIPMARK.rawValue)
  }

  private static func map(_ text: String, _ options: UInt32) -> String {
    var text = text
    return text.withUTF8 { bytes -> String in
      guard let base = bytes.baseAddress else { return "" }
      var mapped: UnsafeMutablePointer<utf8proc_uint8_t>?
      let length = utf8proc_map(
        base, utf8proc_ssize_t(bytes.count), &mapped, utf8proc_option_t(rawValue: options))
      defer { free(mapped) }
      guard length >= 0, let mapped else { return String(decoding: bytes, as: UTF8.self) }
      return String(
        decoding: UnsafeBufferPointer(start: mapped, count: Int(length)), as: UTF8.self)
    }
  }
}
