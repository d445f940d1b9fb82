import Foundation
import GCMapCore

/// Finding the PDFs of the input folder and identifying each: its hash, its copies, its
/// cache keys.
extension BatchRun {
  /// Identifies every PDF (size, hash) on all threads, then finds copies in path order and
  /// makes the requests of the distinct ones, with their cache keys.
  static func identify(
    _ discovery: Discovery, in input: URL, options: Options, ingredients: CacheIngredients
  ) -> Identification {
    let pdfs = discovery.pdfs
    let paths = pdfs.map { input.appendingPathComponent($0).path }
    let identities = Identities(count: pdfs.count)
    Parallel.forEach(pdfs.count, threads: options.jobs) { index, _ in
      identities.set(index, identify(paths[index], maximumSize: options.maximumSize))
    }
    var result = Identification()
    var firstWithHash: [String: String] = [:]
    for (index, relative) in pdfs.enumerated() {
      switch identities.get(index) {
      case .tooLarge(let size)?:
        let reason =
          "too large: \(size / (1 << 20)) MiB, over the limit of \(options.maximumSize / (1 << 20)) MiB"
        result.problems.append(Problem(file: relative, category: "too-large", message: reason))
        result.failed += 1
        result.inputs.append(.init(file: relative, sha256: nil, size: size, status: "too-large"))
      case .failed(let failure)?:
        result.problems.append(
          Problem(file: relative, category: failure.category, message: failure.reason))
        result.failed += 1
        result.inputs.append(
          .init(file: relative, sha256: nil, size: nil, status: failure.category))
      case .identified(let source)?:
        if let first = firstWithHash[source.sha256] {
          result.problems.append(
            Problem(
              file: relative, category: "duplicate",
              message: "skipped: the same content as \(first), analysed once"))
          result.duplicates += 1
          result.inputs.append(
            .init(file: relative, sha256: source.sha256, size: source.size, status: "duplicate"))
          continue
        }
        firstWithHash[source.sha256] = relative
        let keys = options.cache.map { cache in
          let (extraction, analysisKey) = AnalysisCache.keys(
            sha256: source.sha256, ingredients: ingredients)
          return AnalysisRequest.CacheKeys(
            folder: cache.folder.path, extraction: extraction, analysis: analysisKey)
        }
        result.jobs.append(
          Job(
            relative: relative,
            request: AnalysisRequest(
              path: paths[index], file: relative, id: String(relative.dropLast(4)),
              passwords: options.passwords.passwords(for: relative), source: source, cache: keys)))
      case nil:
        break
      }
    }
    return result
  }

  /// What identification found of one file.
  enum Identity: Sendable {
    case identified(SourceDocument)
    case tooLarge(Int)
    case failed(ExtractionFailure)
  }

  private static func identify(_ path: String, maximumSize: Int) -> Identity {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    if size > maximumSize { return .tooLarge(size) }
    do { return .identified(try DocumentExtraction.identify(path)) } catch {
      return .failed(error)
    }
  }

  /// Deletes the temporary files of a run that was killed while writing its outputs.
  static func removeStalePartials(_ folder: URL) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names where name.hasPrefix(".") && name.contains(".partial-") {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
  }

  /// PDFs (by extension, any case) under `folder`, recursively, as sorted relative paths; and
  /// the other files, skipped.
  static func discover(_ folder: URL) throws -> Discovery {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw ConfigurationError(file: folder.path, line: nil, message: "not a folder")
    }
    let base = folder.standardizedFileURL.path
    var pdfs: [String] = []
    var skipped: [String] = []
    let enumerator = FileManager.default.enumerator(
      at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    while let url = enumerator?.nextObject() as? URL {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else {
        continue
      }
      let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
      if url.pathExtension.lowercased() == "pdf" {
        pdfs.append(relative)
      } else {
        skipped.append(relative)
      }
    }
    return Discovery(pdfs: pdfs.sorted(), others: skipped.sorted())
  }
}
