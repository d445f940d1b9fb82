/// A page as an 8-bit grey image (0 black, 255 white), rows top to bottom: what PDFText
/// renders and OCR reads.
public struct GreyImage: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// One byte per pixel, `width` bytes per row, no padding.
  public var pixels: [UInt8]
  /// Pixels per inch the page was rendered at (a PDF point is 1/72 inch).
  public var dpi: Int

  public init(width: Int, height: Int, pixels: [UInt8], dpi: Int) {
    self.width = width
    self.height = height
    self.pixels = pixels
    self.dpi = dpi
  }
}
