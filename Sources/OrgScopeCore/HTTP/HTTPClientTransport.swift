import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one production `HTTPTransport`, on AsyncHTTPClient: timeouts, retries with backoff
/// and `Retry-After`, a bounded body, proxies from the environment, no redirects, read-only
/// methods, and events and errors that never carry a secret.
///
/// Call `shutdown()` when done (or use `withTransport`): AsyncHTTPClient requires it.
public final class HTTPClientTransport: HTTPTransport, Sendable {
  public let options: HTTPTransportOptions
  public let proxies: ProxySettings
  public let redactor: Redactor

  public func redact(_ text: String) -> String { redactor.redact(text) }
  private let events: (any HTTPEventSink)?
  private let sleep: @Sendable (Double) async throws -> Void
  /// One AsyncHTTPClient per proxy (nil key = direct), created on first use; none after
  /// `shutdown()`.
  private struct Clients {
    var byProxy: [ProxyServer?: HTTPClient] = [:]
    var isShutDown = false
  }
  private let clients = Mutex(Clients())

  /// - Parameters:
  ///   - environment: where proxy variables are read (the process environment by default).
  ///   - events: receives sent/retrying/gave-up events.
  ///   - sleep: how retries wait (tests record the delays instead of waiting).
  public init(
    options: HTTPTransportOptions = HTTPTransportOptions(),
    environment: [String: String] = ProcessInfo.processInfo.environment,
    redactor: Redactor = Redactor(), events: (any HTTPEventSink)? = nil,
    sleep: @escaping @Sendable (Double) async throws -> Void = { seconds in
      try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
  ) {
    self.options = options
    self.proxies = ProxySettings(environment: environment)
    self.redactor = redactor
    self.events = events
    self.sleep = sleep
  }

  /// Runs `body` with a transport and shuts it down afterwards, also on error.
  public static func withTransport<T: Sendable>(
    options: HTTPTransportOptions = HTTPTransportOptions(),
    environment: [String: String] = ProcessInfo.processInfo.environment,
    redactor: Redactor = Redactor(), events: (any HTTPEventSink)? = nil,
    _ body: (HTTPClientTransport) async throws -> T
  ) async throws -> T {
    let transport = HTTPClientTransport(
      options: options, environment: environment, redactor: redactor, events: events)
    do {
      let result = try await body(transport)
      await transport.shutdown()
      return result
    } catch {
      await transport.shutdown()
      throw error
    }
  }

  /// Closes every connection. Later requests fail with a network error.
  public func shutdown() async {
    let all = clients.withLock { clients in
      let all = Array(clients.byProxy.values)
      clients = Clients(isShutDown: true)
      return all
    }
    for client in all { try? await client.shutdown() }
  }

  public func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    try await send(request, source: source, sent: {})
  }

  public func send(
    _ request: HTTPRequestSpec, source: SourceID, sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData {
    try await send(request, source: source, declared: [], sent: sent)
  }

  public func send(
    _ request: HTTPRequestSpec, source: SourceID, declaredBy authenticator: any Authenticator
  ) async throws -> HTTPResponseData {
    try await send(request, source: source, declared: authenticator.declaredRequests, sent: {})
  }

  /// Sends `request` if it is a GET or one of `declared`.
  private func send(
    _ request: HTTPRequestSpec, source: SourceID, declared: [DeclaredRequest],
    sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData {
    let sent = Once(sent)
    defer { sent.run() }
    guard var parts = URLParts(request.url) else {
      throw OrgScopeError.refusedURL(source: source, message: "invalid URL")
    }
    let target = parts.origin + HTTPClientTransport.pathOnly(parts.pathAndQuery)
    let method = request.method.rawValue
    // Read-only: anything but GET only as an authenticator declared it (Twilio's token
    // request), to exactly that origin and path.
    guard request.method == .get || declared.contains(where: { $0.matches(request) }) else {
      throw OrgScopeError.refusedURL(
        source: source, message: "\(method) \(target) refused: orgscope only reads")
    }
    // A `.localhost` name that resolves to loopback only is sent to the address resolved
    // here, once: what made it loopback is what is connected to.
    var request = request
    if parts.scheme == "http", let pin = LoopbackName.pinned(request.url),
      let pinned = URLParts(pin.url)
    {
      request.url = pin.url
      request.setHeader("Host", pin.host)
      parts = pinned
    }
    if parts.scheme == "http" && !ProxySettings.isLoopback(parts.host) {
      throw OrgScopeError.refusedURL(
        source: source, message: "plain http to \(parts.origin) refused; use https")
    }
    let client = try client(for: parts, source: source)
    func emit(_ kind: HTTPEvent.Kind) {
      events?.record(HTTPEvent(source: source, method: method, target: target, kind: kind))
    }

    let started = Date()
    // One deadline for every attempt and wait of this request, a slow body included.
    let deadline = started.addingTimeInterval(options.maxRetryTime)
    var attempt = 0
    while true {
      attempt += 1
      try Task.checkCancellation()
      let remaining = deadline.timeIntervalSinceNow
      guard remaining > 0 else {
        let why = "no complete answer within the \(seconds(options.maxRetryTime)) time budget"
        emit(.gaveUp(reason: why))
        throw OrgScopeError.network(source: source, message: "\(method) \(target): \(why)")
      }
      emit(.sent(attempt: attempt))
      let retryReason: String
      var waitHint: Double?
      var lastResponse: HTTPResponseData?
      do {
        let response = try await execute(
          request, client: client, source: source, sent: sent,
          timeout: min(options.requestTimeout, remaining))
        emit(.received(status: response.status, bytes: response.body.count))
        guard HTTPClientTransport.retryableStatuses.contains(response.status) else {
          return response
        }
        retryReason = "HTTP \(response.status)"
        waitHint = response.header("Retry-After").flatMap { RetryAfter.seconds($0, now: Date()) }
        lastResponse = response
      } catch let error as OrgScopeError {
        throw error
      } catch {
        if Task.isCancelled || error is CancellationError { throw CancellationError() }
        var reason = describe(error)
        if case .deadlineExceeded? = error as? HTTPClientError,
          options.requestTimeout > remaining
        {
          reason =
            "no complete answer within the \(seconds(options.maxRetryTime)) time budget"
            + (attempt > 1 ? " (\(attempt) attempts)" : "")
        }
        guard HTTPClientTransport.isConnectionReset(error) else {
          emit(.failed(reason: reason))
          throw OrgScopeError.network(
            source: source, message: redactor.redact("\(method) \(target): \(reason)"))
        }
        retryReason = reason
      }

      let delay = waitHint ?? backoff(attempt: attempt)
      let outOfRetries = attempt > options.maxRetries
      let outOfTime = Date().addingTimeInterval(delay) >= deadline
      if outOfRetries || outOfTime {
        let tries = attempt == 1 ? "1 attempt" : "\(attempt) attempts"
        let why =
          outOfRetries
          ? tries : "\(tries); waiting \(seconds(delay)) more would exceed the retry time budget"
        emit(.gaveUp(reason: "\(retryReason) after \(why)"))
        if let lastResponse { return lastResponse }
        throw OrgScopeError.network(
          source: source,
          message: redactor.redact("\(method) \(target): \(retryReason) (gave up after \(why))"))
      }
      emit(.retrying(reason: retryReason, delay: delay, attempt: attempt + 1))
      try await sleep(delay)
    }
  }

  /// Exponential backoff with jitter: a random delay in the upper half of the step.
  func backoff(attempt: Int) -> Double {
    let step = min(options.maxDelay, options.baseDelay * pow(2, Double(attempt - 1)))
    return step / 2 + Double.random(in: 0...(step / 2))
  }

  private func execute(
    _ spec: HTTPRequestSpec, client: HTTPClient, source: SourceID, sent: Once, timeout: Double
  ) async throws -> HTTPResponseData {
    var headers = HTTPHeaders()
    for header in spec.headers {
      // A value with CR, LF or another control would be refused by the client with an
      // error that quotes it (`invalidHeaderFieldValues([...])`): refuse it here, unquoted.
      if header.value.unicodeScalars.contains(where: Configuration.isUnsafeInHeader)
        || header.name.unicodeScalars.contains(where: Configuration.isUnsafeInHeader)
      {
        throw OrgScopeError.refusedURL(
          source: source,
          message:
            "the \(header.name.filter(\.isASCII)) header holds a control character; not sending it (value not shown)"
        )
      }
      headers.add(name: header.name, value: header.value)
    }
    if spec.header("User-Agent") == nil {
      headers.add(name: "User-Agent", value: options.userAgent)
    }
    let request = try HTTPClient.Request(
      url: spec.url, method: spec.method == .post ? .POST : .GET, headers: headers,
      body: spec.method == .post ? .bytes(spec.body) : nil)
    let collector = BodyCollector(source: source, limit: options.maxResponseBytes, sent: sent)
    let task = client.execute(
      request: request, delegate: collector, eventLoop: .indifferent,
      deadline: .now() + .nanoseconds(Int64(max(0.001, timeout) * 1_000_000_000)))
    return try await withTaskCancellationHandler {
      try await task.futureResult.get()
    } onCancel: {
      task.cancel()
    }
  }

  private func client(for parts: URLParts, source: SourceID) throws -> HTTPClient {
    if let problem = proxies.problem(scheme: parts.scheme, host: parts.host) {
      // Never a silent direct connection when a proxy was asked for.
      throw OrgScopeError.network(source: source, message: "\(problem); not connecting")
    }
    let proxy = proxies.proxy(scheme: parts.scheme, host: parts.host)
    return try clients.withLock { clients in
      guard !clients.isShutDown else {
        throw OrgScopeError.network(source: source, message: "HTTP client is shut down")
      }
      if let existing = clients.byProxy[proxy] { return existing }
      let client = HTTPClient(
        eventLoopGroup: HTTPClientTransport.loop, configuration: configuration(proxy: proxy))
      clients.byProxy[proxy] = client
      return client
    }
  }

  /// No redirects, the timeouts, the proxy and its credentials, and no retried connects.
  private func configuration(proxy: ProxyServer?) -> HTTPClient.Configuration {
    var configuration = HTTPClient.Configuration(
      redirectConfiguration: .disallow,
      timeout: .init(
        connect: .nanoseconds(Int64(options.connectTimeout * 1_000_000_000)),
        read: .nanoseconds(Int64(options.readTimeout * 1_000_000_000))),
      proxy: proxy.map { server in
        var authorization: HTTPClient.Authorization?
        if let username = server.username {
          authorization = .basic(username: username, password: server.password ?? "")
        }
        return .server(host: server.host, port: server.port, authorization: authorization)
      })
    configuration.connectionPool = .init(idleTimeout: .seconds(60))
    // A failed connection (a proxy's 407, a refused connect) fails the request once; the
    // transport decides about retries. AHC would otherwise try again and again until the
    // deadline (15 CONNECTs in 10 s to a proxy that wants credentials).
    configuration.connectionPool.retryConnectionEstablishment = false
    StatusLineGuards.install(on: &configuration)
    return configuration
  }

  /// One event loop thread for all of orgscope's requests (it only moves bytes; decoding
  /// runs elsewhere): every request and its connection share it, so handing a request over
  /// wakes one thread, not two. It lives as long as the process, as NIO's singleton does.
  static let loop: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

  static let retryableStatuses: Set<Int> = [429, 502, 503, 504]

  /// Resets and closes by the peer are worth a retry; refusals, timeouts and TLS errors
  /// would only fail again (or take the whole time budget).
  static func isConnectionReset(_ error: Error) -> Bool {
    if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return true }
    if let error = error as? IOError {
      return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
        || error.errnoCode == ECONNABORTED
    }
    if let error = error as? ChannelError, error == .ioOnClosedChannel || error == .eof {
      return true
    }
    return false
  }

  /// A one-line reason without the URL (the caller adds origin and path), redacted before
  /// it is shortened. Never a header value: AsyncHTTPClient's own descriptions of header
  /// errors quote the header (`invalidHeaderFieldValues(["Bearer …"])`), so its errors are
  /// named by their case only.
  func describe(_ error: Error) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .connectTimeout:
        return "no connection within \(seconds(options.connectTimeout)) (connect timeout)"
      case .readTimeout:
        return "no answer within \(seconds(options.readTimeout)) (read timeout)"
      case .deadlineExceeded:
        return "no complete answer within \(seconds(options.requestTimeout))"
      case .remoteConnectionClosed: return "connection closed by the server"
      case .proxyAuthenticationRequired: return "the proxy asks for authentication"
      case .invalidProxyResponse: return "the proxy refused the connection"
      case .tlsHandshakeTimeout: return "TLS handshake timed out"
      default:
        // `HTTPClientError.someCase(payload)`: keep the case name, never the payload
        // (`invalidHeaderFieldValues(["Bearer …"])` holds the header).
        let text = String(describing: error)
        let name = text.prefix { $0 != "(" }.split(separator: ".").last.map(String.init)
        if name?.hasPrefix("invalidHeaderField") == true {
          return "a request header is not valid (not shown)"
        }
        return "HTTP client error: \(name ?? "unknown")"
      }
    }
    if let error = error as? IOError {
      switch error.errnoCode {
      case ECONNRESET: return "connection reset by the server"
      case ECONNREFUSED: return "connection refused"
      default: break
      }
    }
    var text = redactor.redact(String(describing: error))
    if text.contains("Connection refused") || text.contains("connectionRefused") {
      return "connection refused"
    }
    text = text.replacingOccurrences(of: "\n", with: " ")
    if text.count > 200 { text = String(text.prefix(200)) + "…" }
    return text
  }

  private func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value))s" : String(format: "%.1fs", value)
  }

  /// The path of `pathAndQuery`, without the query (it may carry a secret).
  static func pathOnly(_ pathAndQuery: String) -> String {
    var path = Substring(pathAndQuery)
    if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
    return String(path)
  }
}
