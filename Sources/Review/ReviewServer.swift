import Decisions
import Foundation
import GCMapCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `gcmap review`: a local web application over a finished run, where analysts confirm,
/// reject, change and add labels.
///
/// Reachable from this machine only and only with the token printed at start: the server binds
/// 127.0.0.1, answers only requests from a loopback address whose Host is 127.0.0.1 or
/// localhost at its port (a DNS-rebinding page gets nothing), and wants the token in the page's
/// address the server prints and in a header on every API call; the page takes it out of the
/// address bar and the history as soon as it loads (keeping it in the tab's session storage,
/// so a reload still works). Decisions are posted as JSON with that header,
/// which a cross-site form cannot send; an Origin from elsewhere is refused. Text from PDFs is
/// put into the page as text, never as HTML, and the page's Content-Security-Policy runs no
/// script but its own.
public enum ReviewServer {
  /// Serves until Ctrl-C (SIGINT) or SIGTERM. `say` gets the address to open.
  public static func serve(
    outputFolder: String, storePath: String, port: Int, say: @escaping @Sendable (String) -> Void
  ) throws {
    let run = try RunData.load(outputFolder)
    let store = try DecisionStore(path: storePath)
    let state = try ServerState(run: run, store: store, token: randomToken())
    let router = Router(context: ReviewContext.self)
    router.add(middleware: AccessGuard(state: state))
    router.get("/") { _, _ in
      html(ReviewPage.html(nonce: state.nonce), nonce: state.nonce)
    }
    router.get("/api/run") { _, _ in
      json(state.runJSON)
    }
    router.get("/api/decisions") { _, _ in
      json(try await state.onStoreQueue { try state.decisionsJSON() })
    }
    router.post("/api/decisions") { request, _ in
      let body = try await request.body.collect(upTo: 1 << 20)
      return try await state.onStoreQueue { try state.record(Data(buffer: body)) }
    }
    let app = Application(
      router: router,
      configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? port
        state.port.withLock { $0 = bound }
        say("gcmap review: open http://127.0.0.1:\(bound)/?token=\(state.token)")
        say("gcmap review: decisions are kept in \(store.path); Ctrl-C stops the server")
      },
      logger: quietLogger())
    let finished = DispatchSemaphore(value: 0)
    let failure = Locked<(any Error)?>(nil)
    Task {
      do { try await app.runService() } catch { failure.withLock { $0 = error } }
      finished.signal()
    }
    finished.wait()
    if let error = failure.withLock({ $0 }) { throw error }
  }

  /// 32 random bytes as hex, from the system's generator.
  static func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
    }
    .joined()
  }

  private static func quietLogger() -> Logger {
    var logger = Logger(label: "gcmap-review")
    logger.logLevel = .error
    return logger
  }

  static func headers(_ contentType: String) -> HTTPFields {
    var fields = HTTPFields()
    fields[.contentType] = contentType
    fields[.cacheControl] = "no-store"
    fields[.xContentTypeOptions] = "nosniff"
    // The token is in the page's address: never send it on.
    for (name, value) in [("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")] {
      if let name = HTTPField.Name(name) { fields[name] = value }
    }
    return fields
  }

  static func html(_ text: String, nonce: String) -> Response {
    var fields = headers("text/html; charset=utf-8")
    fields[.contentSecurityPolicy] =
      "default-src 'none'; script-src 'nonce-\(nonce)'; "
      + "style-src 'nonce-\(nonce)'; connect-src 'self'; img-src 'self' data:; "
      + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func json(_ data: Data) -> Response {
    Response(
      status: .ok, headers: headers("application/json"),
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
    let body = (try? JSONEncoder().encode(["error": message])) ?? Data()
    return Response(
      status: status, headers: headers("application/json"),
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}

/// The request context: Hummingbird's, with the peer's address (to refuse any non-loopback
/// one).
struct ReviewContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let remoteAddress: SocketAddress?

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }
}

/// What every request shares: the run, the store, the token and the port bound.
final class ServerState: Sendable {
  let run: RunData
  let store: DecisionStore
  let token: String
  /// The nonce of the page's script and style (one per server start).
  let nonce: String
  let port = Locked<Int>(0)
  let runJSON: Data
  private let passagesByKey: [String: RunData.Passage]
  private let categoryIDs: Set<String>
  /// Where the store is read and written: SQLite calls block (a write waits for fsync, as
  /// the store syncs fully), so they run on this serial queue, never on the server's event
  /// loop or Swift's cooperative threads. Serial, so two reviewers' decisions are recorded one
  /// after the other, in the order they arrived (the store's own queue would serialize them
  /// too).
  private let storeQueue = DispatchQueue(label: "gcmap-review-store")

  /// Runs `work` on the store's queue and waits for it without blocking the caller's thread.
  func onStoreQueue<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws
    -> Value
  {
    try await withCheckedThrowingContinuation { continuation in
      storeQueue.async { continuation.resume(with: Result { try work() }) }
    }
  }

  init(run: RunData, store: DecisionStore, token: String) throws {
    self.run = run
    self.store = store
    self.token = token
    nonce = ReviewServer.randomToken()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    runJSON = try encoder.encode(run)
    passagesByKey = Dictionary(
      run.passages.map { ($0.sha256 + " " + $0.hash, $0) }, uniquingKeysWith: { first, _ in first })
    categoryIDs = Set(run.categories.map(\.id))
  }

  func decisionsJSON() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(try store.latest())
  }

  /// A decision posted by the page, checked against the run before it is stored.
  struct Posted: Decodable {
    var documentSHA256: String
    var passageHash: String
    var category: String
    var decision: String
    var newCategory: String?
    var reviewer: String
    var note: String?
  }

  func record(_ body: Data) throws -> Response {
    guard let posted = try? JSONDecoder().decode(Posted.self, from: body) else {
      return ReviewServer.refusal(.badRequest, "not a decision")
    }
    guard let passage = passagesByKey[posted.documentSHA256 + " " + posted.passageHash] else {
      return ReviewServer.refusal(.badRequest, "no such passage in this run")
    }
    guard let kind = DecisionKind(rawValue: posted.decision) else {
      return ReviewServer.refusal(.badRequest, "unknown decision")
    }
    guard categoryIDs.contains(posted.category) else {
      return ReviewServer.refusal(.badRequest, "unknown category")
    }
    if kind == .change {
      guard let new = posted.newCategory, categoryIDs.contains(new), new != posted.category else {
        return ReviewServer.refusal(.badRequest, "a change needs another known category")
      }
    }
    let reviewer = posted.reviewer.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !reviewer.isEmpty, reviewer.count <= 200, (posted.note ?? "").count <= 10_000 else {
      return ReviewServer.refusal(
        .badRequest, "a reviewer's name (200 characters at most) is needed")
    }
    let decision = Decision(
      documentSHA256: posted.documentSHA256, passageHash: posted.passageHash,
      category: posted.category, kind: kind,
      newCategory: kind == .change ? posted.newCategory : nil,
      reviewer: reviewer, note: posted.note ?? "", decidedAt: Decision.now(),
      document: passage.document, page: passage.page, excerpt: String(passage.text.prefix(200)))
    let number = try store.record(decision)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    struct Saved: Encodable {
      var number: Int64
      var decision: Decision
    }
    return ReviewServer.json(try encoder.encode(Saved(number: number, decision: decision)))
  }
}

/// Refuses what is not this machine's analyst: a peer that is not loopback, a Host that is not
/// 127.0.0.1/localhost at our port, a missing or wrong token, and for writes a body that is not
/// JSON or an Origin of another site.
struct AccessGuard: RouterMiddleware {
  typealias Context = ReviewContext
  let state: ServerState

  func handle(
    _ request: Request, context: ReviewContext,
    next: (Request, ReviewContext) async throws -> Response
  ) async throws -> Response {
    guard Self.isLoopback(context.remoteAddress) else {
      return ReviewServer.refusal(.forbidden, "only this machine may connect")
    }
    let port = state.port.withLock { $0 }
    let hosts = ["127.0.0.1:\(port)", "localhost:\(port)"]
    guard let host = request.head.authority, hosts.contains(host) else {
      return ReviewServer.refusal(.forbidden, "wrong Host")
    }
    let given: String?
    if request.uri.path == "/" {
      // The page itself holds no data: without a token (a reload, once the page has taken
      // the token out of the address) it is served and uses the token its tab kept; a wrong
      // token is refused.
      given = request.uri.queryParameters["token"].map(String.init) ?? state.token
    } else {
      given = HTTPField.Name("X-GCMap-Token").flatMap { request.headers[$0] }
    }
    guard let given, Self.same(given, state.token) else {
      return ReviewServer.refusal(.forbidden, "missing or wrong token")
    }
    if request.method != .get {
      guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
        return ReviewServer.refusal(.unsupportedMediaType, "decisions are posted as JSON")
      }
      if let origin = request.headers[.origin],
        !hosts.contains(where: { origin == "http://" + $0 })
      {
        return ReviewServer.refusal(.forbidden, "cross-site request")
      }
    }
    return try await next(request, context)
  }

  static func isLoopback(_ address: SocketAddress?) -> Bool {
    guard let ip = address?.ipAddress else { return false }
    return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
  }

  /// Compares in time independent of where the strings first differ.
  static func same(_ a: String, _ b: String) -> Bool {
    let (x, y) = (Array(a.utf8), Array(b.utf8))
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }
}
