/// An error in a configuration or corpus file: the file, the line and what is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
  public var file: String
  public var line: Int?
  public var message: String

  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
  }
}
