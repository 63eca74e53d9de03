/// Adds credentials to a request just before it is sent.
public protocol Authenticator: Sendable {
  /// Adds the headers that authenticate `request` (Bearer, X-Auth-*, signature).
  func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws
  /// Called after a 401: drops any cached token. Returns true when a retry with fresh
  /// credentials can succeed (Twilio OAuth), false when it cannot (static keys).
  func invalidate() async -> Bool
  /// The secrets this authenticator holds, so logs and errors can redact them.
  var secrets: [String] { get }
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
