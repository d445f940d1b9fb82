import CPoppler
import CPopplerLines
import Foundation
import GCMapCore

/// Why a file could not be read as a PDF; each case reads as one clear reason.
public enum PDFProblem: Error, Equatable, Sendable, CustomStringConvertible {
  case fileNotFound
  case unreadable(String)
  case emptyFile
  case notPDF
  case passwordRequired
  case wrongPassword
  /// The file ends before its end-of-file marker and poppler could not rebuild it.
  case truncated
  case damaged(String)

  public var description: String {
    switch self {
    case .fileNotFound: return "file not found"
    case .unreadable(let detail): return "cannot read the file (\(detail))"
    case .emptyFile: return "empty file (0 bytes)"
    case .notPDF: return "not a PDF (no %PDF header in its first 1024 bytes)"
    case .passwordRequired: return "password required: the PDF is encrypted (use --password)"
    case .wrongPassword: return "wrong password: the PDF did not open with the password given"
    case .truncated:
      return "truncated: the file ends before the PDF's end-of-file marker and cannot be rebuilt"
    case .damaged(let detail): return "damaged PDF (\(detail))"
    }
  }
}

/// An open PDF, read page by page through poppler-glib.
///
/// This file and `PopplerPageText` are the only places that touch poppler; every GLib object
/// made here is freed here. Pages of right-to-left text are read from poppler's core layout
/// (`CPopplerLines`), which opens the file a second time, when the first such page comes.
/// Not thread-safe: use one `PDFFile` per thread or process.
public final class PDFFile {
  private let document: OpaquePointer
  private let path: String
  private let password: String?
  /// poppler's core document, for pages of right-to-left text; opened when first needed.
  private var coreDocument: UnsafeMutableRawPointer?
  private var coreDocumentTried = false
  public let pageCount: Int
  /// True when the file lacks its end-of-file marker but poppler rebuilt it anyway: some
  /// pages may be missing or empty.
  public let isTruncated: Bool

  /// Opens `path`, checking first that it is a non-empty file with a PDF header.
  ///
  /// Without a password the file is memory-mapped and handed to poppler as bytes: opened by
  /// name, poppler reads it through 256-byte `pread` calls, which cost about a tenth of
  /// extraction time. With a password it is opened by name: poppler 22's
  /// `poppler_document_new_from_bytes` crashes when the password is wrong (it retries on a
  /// copy of a stream it has freed). A file that cannot be mapped (a worker's memory limit
  /// counts the mapping) is opened by name too. Limit: a file truncated by another program
  /// while it is read ends the process with SIGBUS, which the worker pool reports as a crash
  /// of that file alone.
  /// The version of the poppler library this process runs with (not the one it was built
  /// against): its text can change from one version to the next, so caches are keyed by it.
  public static var popplerVersion: String {
    guard let version = poppler_get_version() else { return "unknown" }
    return String(cString: version)
  }

  public init(path: String, password: String? = nil) throws(PDFProblem) {
    let sniff = try Self.sniff(path: path)
    var error: UnsafeMutablePointer<GError>?
    let candidate: OpaquePointer?
    if password == nil, let mapped = g_mapped_file_new(path, 0, nil) {
      // The bytes hold a reference to the mapping, and the document one to the bytes.
      let bytes = g_mapped_file_get_bytes(mapped)
      g_mapped_file_unref(mapped)
      defer { g_bytes_unref(bytes) }
      candidate = poppler_document_new_from_bytes(bytes, nil, &error)
    } else {
      guard let uri = g_filename_to_uri(path.absolutePath, nil, nil) else {
        throw .unreadable("cannot make a URI of the path")
      }
      defer { g_free(uri) }
      candidate = poppler_document_new_from_file(uri, password, &error)
    }
    guard let opened = candidate else {
      let code = error?.pointee.code ?? -1
      let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? ""
      if let error { g_error_free(error) }
      if code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
        throw password == nil ? .passwordRequired : .wrongPassword
      }
      if !sniff.hasEndMarker { throw .truncated }
      throw .damaged(message.isEmpty ? "poppler could not parse it" : message)
    }
    document = opened
    self.path = path
    self.password = password
    pageCount = Int(poppler_document_get_n_pages(opened))
    isTruncated = !sniff.hasEndMarker
  }

  deinit {
    g_object_unref(UnsafeMutableRawPointer(document))
    if let coreDocument { gcmap_lines_close(coreDocument) }
  }

  /// The page with 1-based `number`, its lines in reading order; nil if poppler cannot load it.
  public func page(_ number: Int) -> Page? {
    withPage(number) { page in
      PopplerPageText.read(page, number: number) { self.coreLines(number) }
    }
  }

  /// Page `number`'s lines from poppler's core text layout; nil if it cannot be opened.
  private func coreLines(_ number: Int) -> [PopplerPageText.CoreLine]? {
    if !coreDocumentTried {
      coreDocumentTried = true
      coreDocument = gcmap_lines_open(path, password)
    }
    guard let coreDocument else { return nil }
    let found = gcmap_lines_page(coreDocument, Int32(number))
    defer { gcmap_lines_free(found) }
    guard let lines = found.lines else { return [] }
    return (0..<Int(found.count)).map { index in
      let line = lines[index]
      return PopplerPageText.CoreLine(
        box: Box(x0: line.x0, y0: line.y0, x1: line.x1, y1: line.y1),
        isBold: line.bold_characters * 2 > line.characters,
        text: line.text.map { String(cString: $0) } ?? "")
    }
  }

  /// `body` applied to the page with 1-based `number`, which is freed after it; nil if there
  /// is no such page or poppler cannot load it.
  private func withPage<Result>(_ number: Int, _ body: (OpaquePointer) -> Result?) -> Result? {
    guard number >= 1, number <= pageCount,
      let page = poppler_document_get_page(document, Int32(number - 1))
    else { return nil }
    defer { g_object_unref(UnsafeMutableRawPointer(page)) }
    return body(page)
  }

  /// The largest share of page `number`'s area that one raster image covers (0 when it has
  /// none): a scanned page is one large image, a page of text and diagrams is not. nil if
  /// poppler cannot load the page. Limit: poppler walks the page's whole content to find its
  /// images (a costly shading included).
  public func largestImageShare(_ number: Int) -> Double? {
    withPage(number) { page in imageShare(page) }
  }

  private func imageShare(_ page: OpaquePointer) -> Double {
    var width = 0.0
    var height = 0.0
    poppler_page_get_size(page, &width, &height)
    guard width > 0, height > 0 else { return 0 }
    let list = poppler_page_get_image_mapping(page)
    defer { poppler_page_free_image_mapping(list) }
    var largest = 0.0
    var node = list
    while let current = node {
      if let mapping = current.pointee.data?.assumingMemoryBound(to: PopplerImageMapping.self) {
        let box = mapping.pointee.area
        // Clipped to the page: an image may hang over its edges.
        let x = max(0, min(width, max(box.x1, box.x2)) - max(0, min(box.x1, box.x2)))
        let y = max(0, min(height, max(box.y1, box.y2)) - max(0, min(box.y1, box.y2)))
        largest = max(largest, x * y / (width * height))
      }
      node = current.pointee.next
    }
    return largest
  }

  /// The page with 1-based `number` rendered in grey at `dpi` pixels per inch, on white; nil if
  /// poppler cannot load it or it would exceed `maximumPixels` (a hostile page size).
  ///
  /// Rendered by poppler to a cairo image surface (RGB24) and folded to grey with the luma
  /// weights; annotations and forms are drawn as poppler draws them for display.
  public func renderGrey(_ number: Int, dpi: Int, maximumPixels: Int = 60_000_000) -> GreyImage? {
    guard dpi > 0 else { return nil }
    return withPage(number) { page in render(page, dpi: dpi, maximumPixels: maximumPixels) }
  }

  private func render(_ page: OpaquePointer, dpi: Int, maximumPixels: Int) -> GreyImage? {
    var widthPoints = 0.0
    var heightPoints = 0.0
    poppler_page_get_size(page, &widthPoints, &heightPoints)
    let scale = Double(dpi) / 72
    let width = Int((widthPoints * scale).rounded(.up))
    let height = Int((heightPoints * scale).rounded(.up))
    guard width > 0, height > 0, width <= 100_000, height <= 100_000,
      width * height <= maximumPixels
    else { return nil }
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
    else { return nil }
    defer { cairo_surface_destroy(surface) }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface)
    else { return nil }
    cairo_set_source_rgb(context, 1, 1, 1)
    cairo_paint(context)
    cairo_scale(context, scale, scale)
    poppler_page_render(page, context)
    cairo_destroy(context)
    cairo_surface_flush(surface)
    guard let data = cairo_image_surface_get_data(surface) else { return nil }
    let stride = Int(cairo_image_surface_get_stride(surface))
    var pixels = [UInt8](repeating: 255, count: width * height)
    pixels.withUnsafeMutableBufferPointer { grey in
      for row in 0..<height {
        // RGB24: one 32-bit word per pixel in native order, 0x00RRGGBB.
        let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
        for column in 0..<width {
          let value = line[column]
          let red = (value >> 16) & 0xFF
          let green = (value >> 8) & 0xFF
          let blue = value & 0xFF
          grey[row * width + column] = UInt8((red * 299 + green * 587 + blue * 114) / 1000)
        }
      }
    }
    return GreyImage(width: width, height: height, pixels: pixels, dpi: dpi)
  }

  /// Every page in order; a page poppler cannot load is kept, empty, and its number listed.
  public func readAllPages() -> (pages: [Page], unreadable: [Int]) {
    var pages: [Page] = []
    var unreadable: [Int] = []
    for number in stride(from: 1, through: pageCount, by: 1) {
      if let page = page(number) {
        pages.append(page)
      } else {
        unreadable.append(number)
        pages.append(Page(number: number, lines: []))
      }
    }
    return (pages, unreadable)
  }

  /// Checks size, header and end marker without poppler, so that the common bad inputs get
  /// a precise reason.
  private static func sniff(path: String) throws(PDFProblem) -> (hasEndMarker: Bool, size: Int) {
    guard FileManager.default.fileExists(atPath: path) else { throw .fileNotFound }
    let handle: FileHandle
    do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
      throw .unreadable(error.localizedDescription)
    }
    defer { try? handle.close() }
    do {
      let size = Int(try handle.seekToEnd())
      if size == 0 { throw PDFProblem.emptyFile }
      try handle.seek(toOffset: 0)
      let head = try handle.read(upToCount: 1024) ?? Data()
      guard head.range(of: Data("%PDF-".utf8)) != nil else { throw PDFProblem.notPDF }
      let tailLength = min(size, 2048)
      try handle.seek(toOffset: UInt64(size - tailLength))
      let tail = try handle.read(upToCount: tailLength) ?? Data()
      return (tail.range(of: Data("%%EOF".utf8)) != nil, size)
    } catch let problem as PDFProblem {
      throw problem
    } catch {
      throw .unreadable(error.localizedDescription)
    }
  }
}

extension String {
  fileprivate var absolutePath: String {
    hasPrefix("/") ? self : FileManager.default.currentDirectoryPath + "/" + self
  }
}
