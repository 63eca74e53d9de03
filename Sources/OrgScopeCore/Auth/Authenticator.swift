/// Adds credentials to a request just before it is sent.
public protocol Authenticator: Sendable {
  /// Adds the headers that authenticate `request` (Bearer, X-Auth-*, signature).
  func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws
  /// Called after a 401: drops any cached token. Returns true when a retry with fresh
  /// credentials can succeed (Twilio OAuth), false when it cannot (static keys).
  func invalidate() async -> Bool
  /// The secrets this authenticator holds, so logs and errors can redact them.
  var secrets: [String] { get }
  /// The requests other than GET this authenticator sends itself (Twilio's token request),
  /// through `HTTPTransport.send(_:source:declaredBy:)`: the transport sends exactly these,
  /// and no other request but GET. None by default.
  var declaredRequests: [DeclaredRequest] { get }
}

extension Authenticator {
  public var declaredRequests: [DeclaredRequest] { [] }
}

/// A request other than GET that an authenticator may send: its method and the exact
/// origin and path it goes to (the query is not part of it).
public struct DeclaredRequest: Sendable, Hashable, CustomStringConvertible {
  public let method: HTTPMethod
  /// `scheme://host[:port]`, as `BaseURL.origin` spells it.
  public let origin: String
  public let path: String

  /// The declaration of `method` to `url`; nil when `url` is not an absolute URL.
  public init?(_ method: HTTPMethod, url: String) {
    guard let parts = URLParts(url) else { return nil }
    self.method = method
    origin = parts.origin
    path = HTTPClientTransport.pathOnly(parts.pathAndQuery)
  }

  /// Whether `request` is this one: the same method, origin and path.
  public func matches(_ request: HTTPRequestSpec) -> Bool {
    guard request.method == method, let parts = URLParts(request.url) else { return false }
    return parts.origin == origin && HTTPClientTransport.pathOnly(parts.pathAndQuery) == path
  }

  public var description: String { "\(method.rawValue) \(origin)\(path)" }
}

/// Adds fixed headers (Cloudflare token or email+key, SendGrid key, a ready Twilio token).
public struct StaticHeaderAuthenticator: Authenticator {
  public let headers: [Header]
  public let secrets: [String]

  public init(headers: [Header], secrets: [String]) {
    self.headers = headers
    self.secrets = secrets
  }

  public static func bearer(_ token: String) -> StaticHeaderAuthenticator {
    StaticHeaderAuthenticator(
      headers: [Header("Authorization", "Bearer \(token)")], secrets: [token])
  }

  public func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws
  {
    for header in headers { request.setHeader(header.name, header.value) }
  }

  public func invalidate() async -> Bool { false }
}
