/// One request header.
public struct Header: Sendable, Hashable {
  public var name: String
  public var value: String
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// The only two methods orgscope ever sends: it is read-only, apart from the requests an
/// authenticator declares (`Authenticator.declaredRequests`: Twilio's token request).
public enum HTTPMethod: String, Sendable, Hashable {
  case get = "GET"
  case post = "POST"
}

/// A request before it is sent: built by a provider, authorized by an `Authenticator`.
public struct HTTPRequestSpec: Sendable, Hashable {
  public var method: HTTPMethod
  /// Absolute URL, already percent-encoded.
  public var url: String
  public var headers: [Header]
  public var body: [UInt8]

  public init(
    method: HTTPMethod = .get, url: String, headers: [Header] = [], body: [UInt8] = []
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }

  /// The value of the first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }

  /// Sets a header, replacing any with the same name (case-insensitive).
  public mutating func setHeader(_ name: String, _ value: String) {
    headers.removeAll { $0.name.lowercased() == name.lowercased() }
    headers.append(Header(name, value))
  }
}

/// A response with its whole body (bounded in size by the client).
public struct HTTPResponseData: Sendable, Hashable {
  public var status: Int
  public var headers: [Header]
  public var body: [UInt8]

  public init(status: Int, headers: [Header] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
}

/// The one HTTP layer. The production implementation is `HTTPClientTransport`
/// (AsyncHTTPClient, timeouts, retries, size bound, proxy); tests may use the same against
/// the sandbox. `source` names who asks, for errors and logs.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData
  /// `send`, calling `sent` once the request has gone out (or failed to), so that a caller
  /// can start work that should not compete with sending it for a core.
  func send(
    _ request: HTTPRequestSpec, source: SourceID, sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData
  /// `text` without any secret this transport knows of: a provider may echo a key in its
  /// error body, and errors reach the screen, stderr and logs.
  func redact(_ text: String) -> String
  /// Sends a request that `authenticator` declared (`Authenticator.declaredRequests`): the
  /// one way a request other than GET may leave. `send` refuses every such request.
  func send(
    _ request: HTTPRequestSpec, source: SourceID, declaredBy authenticator: any Authenticator
  ) async throws -> HTTPResponseData
}

extension HTTPTransport {
  public func redact(_ text: String) -> String { text }

  /// A transport that checks no method (a test's) sends a declared request as any other.
  public func send(
    _ request: HTTPRequestSpec, source: SourceID, declaredBy authenticator: any Authenticator
  ) async throws -> HTTPResponseData {
    try await send(request, source: source)
  }

  public func send(
    _ request: HTTPRequestSpec, source: SourceID, sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData {
    defer { sent() }
    return try await send(request, source: source)
  }
}
