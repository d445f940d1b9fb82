/// What is known about a document besides its text: whose review it is, from when, in which
/// language; detected from its first pages or given in a `--metadata` file.
public struct DocumentMetadata: Sendable, Equatable, Codable {
  /// ISO 3166-1 alpha-3 code, or "unknown".
  public var country: String
  public var countryName: String
  /// UN M49 region and sub-region ("" when the country is unknown).
  public var region: String
  public var subRegion: String
  public var year: String
  /// "en", "fr", "es", or "" when not known.
  public var language: String
  public var title: String
  /// Where the country came from: "detected", "metadata file" or "none".
  public var countrySource: String
  /// Further columns of the metadata file, by column name.
  public var extra: [String: String]

  public init(
    country: String = "unknown", countryName: String = "", region: String = "",
    subRegion: String = "",
    year: String = "", language: String = "", title: String = "", countrySource: String = "none",
    extra: [String: String] = [:]
  ) {
    self.country = country
    self.countryName = countryName
    self.region = region
    self.subRegion = subRegion
    self.year = year
    self.language = language
    self.title = title
    self.countrySource = countrySource
    self.extra = extra
  }
}
