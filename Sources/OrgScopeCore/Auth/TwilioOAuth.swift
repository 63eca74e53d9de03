import Foundation

/// Twilio OAuth client credentials: `POST {oauth}/v2/token` for a bearer token, cached and
/// renewed shortly before it expires or after a 401 or 403. Concurrent callers share one
/// token request.
public actor TwilioOAuthAuthenticator: Authenticator {
  /// Longest lifetime trusted from `expires_in`. The spec's example (`1438315200000`) reads
  /// like an epoch in milliseconds, not a duration: a value above this is not trusted at all.
  static let maxLifetime: Double = 24 * 3600
  /// Lifetime assumed when the answer has no usable `expires_in` (Twilio's tokens last 1 h).
  static let defaultLifetime: Double = 3600

  public let oauthBase: BaseURL
  /// Whose token this is, for errors (`twilio-accounts` or `twilio-roles`).
  public let source: SourceID
  private let clientID: String
  private let clientSecret: String
  private let redactor: Redactor?
  private let now: @Sendable () -> Date
  public nonisolated let secrets: [String]

  private var token: (value: String, renewAt: Date)?
  private var pending: Task<(value: String, renewAt: Date), Error>?

  /// - Parameters:
  ///   - redactor: learns each access token, so logs and errors never show it.
  ///   - now: the clock (tests move it to check renewal).
  public init(
    oauthBase: BaseURL, clientID: String, clientSecret: String, source: SourceID,
    redactor: Redactor? = nil, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.oauthBase = oauthBase
    self.clientID = clientID
    self.clientSecret = clientSecret
    self.source = source
    self.redactor = redactor
    self.now = now
    self.secrets = [clientSecret]
  }

  public nonisolated func authorize(
    _ request: inout HTTPRequestSpec, transport: any HTTPTransport
  ) async throws {
    let value = try await accessToken(transport: transport)
    request.setHeader("Authorization", "Bearer \(value)")
  }

  public func invalidate() async -> Bool {
    token = nil
    return true
  }

  /// The token request, `POST {oauth}/v2/token`: the one request orgscope sends that is not
  /// a GET.
  public nonisolated var declaredRequests: [DeclaredRequest] {
    DeclaredRequest(.post, url: oauthBase.description + "/v2/token").map { [$0] } ?? []
  }

  /// The same token cache, with the token request named after `source` in errors and
  /// logs: both Twilio tabs share one token, and each says who asked.
  public nonisolated func scoped(to source: SourceID) -> any Authenticator {
    TwilioOAuthScope(shared: self, source: source)
  }

  /// A valid access token: the cached one, the one being fetched, or a new one.
  /// `source` names the tab asking (default: this authenticator's `source`).
  public func accessToken(
    transport: any HTTPTransport, for source: SourceID? = nil
  ) async throws -> String {
    if let token, now() < token.renewAt { return token.value }
    if let pending { return try await pending.value.value }
    let asking = source ?? self.source
    let task = Task { try await self.requestToken(transport: transport, source: asking) }
    pending = task
    defer { pending = nil }
    let fresh = try await task.value
    token = fresh
    return fresh.value
  }

  private func requestToken(
    transport: any HTTPTransport, source: SourceID
  ) async throws -> (value: String, renewAt: Date) {
    let form = [
      ("grant_type", "client_credentials"), ("client_id", clientID),
      ("client_secret", clientSecret),
    ].map { "\($0.0)=\(Redactor.formEncode($0.1))" }.joined(separator: "&")
    let request = HTTPRequestSpec(
      method: .post, url: oauthBase.description + "/v2/token",
      headers: [
        Header("Content-Type", "application/x-www-form-urlencoded"),
        Header("Accept", "application/json"),
      ],
      body: Array(form.utf8))
    let started = now()
    let response = try await transport.send(request, source: source, declaredBy: self)
    guard (200..<300).contains(response.status) else {
      // The endpoint may echo the client secret in any field: redact before reading.
      let redact: (String) -> String = { text in
        let once = transport.redact(text)
        return self.redactor?.redact(once) ?? once
      }
      let clean = ErrorBody.redacting(response, with: redact)
      var error = TwilioWire.decodeError(
        source: source, status: clean.status, headers: clean.headers, body: clean.body)
      error = ErrorBody.redacting(error, with: redact)
      error.message = "token request failed: " + error.message
      throw OrgScopeError.api(error)
    }
    guard case .object(let object)? = try? JSONParser.parse(response.body),
      let value = object["access_token"]?.string, !value.isEmpty
    else {
      throw OrgScopeError.invalidResponse(
        source: source, status: response.status, message: "token answer has no access_token")
    }
    guard !value.unicodeScalars.contains(where: Configuration.isUnsafeInHeader) else {
      throw OrgScopeError.invalidResponse(
        source: source, status: response.status,
        message: "token answer has an access_token with a control character (not shown)")
    }
    redactor?.add(value)
    let lifetime = Self.lifetime(
      object["expires_in"], jwtExpiry: Self.jwtExpiry(value), now: started)
    // Renew a little early so a request never leaves with a token about to expire.
    let margin = min(60, lifetime / 10)
    return (value, started.addingTimeInterval(lifetime - margin))
  }

  /// Seconds the token lives. `expires_in` when it is a plausible duration (numbers too
  /// large for an integer and numeric strings tolerated); otherwise the token's own JWT
  /// `exp` claim; otherwise `defaultLifetime`. A JWT that expires sooner than `expires_in`
  /// says wins, so a wrong `expires_in` never keeps an expired token.
  static func lifetime(_ value: JSONValue?, jwtExpiry: Date? = nil, now: Date = Date()) -> Double {
    let fromJWT = jwtExpiry.map { max($0.timeIntervalSince(now), 0) }
    var stated: Double?
    switch value {
    case .number(let literal)?, .string(let literal)?:
      if let seconds = Double(literal), seconds.isFinite, seconds > 0, seconds <= maxLifetime {
        stated = seconds
      }
    default: break
    }
    switch (stated, fromJWT) {
    case (let stated?, let jwt?): return min(stated, jwt)
    case (let stated?, nil): return stated
    case (nil, let jwt?): return min(jwt, maxLifetime)
    case (nil, nil): return defaultLifetime
    }
  }

  /// The `exp` claim of a JWT access token (Twilio's are JWTs), or nil for an opaque token.
  static func jwtExpiry(_ token: String) -> Date? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    var payload = parts[1].replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while payload.count % 4 != 0 { payload += "=" }
    guard let data = Data(base64Encoded: payload),
      case .object(let claims)? = try? JSONParser.parse(Array(data)),
      let exp = claims["exp"], let seconds = Double(exp.displayText), seconds.isFinite
    else { return nil }
    return Date(timeIntervalSince1970: seconds)
  }
}

/// One tab's view of a shared `TwilioOAuthAuthenticator`.
struct TwilioOAuthScope: Authenticator {
  let shared: TwilioOAuthAuthenticator
  let source: SourceID

  var secrets: [String] { shared.secrets }
  var declaredRequests: [DeclaredRequest] { shared.declaredRequests }

  func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws {
    let value = try await shared.accessToken(transport: transport, for: source)
    request.setHeader("Authorization", "Bearer \(value)")
  }

  func invalidate() async -> Bool { await shared.invalidate() }
}

/// What both Twilio sources read to authenticate, and the one authenticator they share
/// (one cached token for both tabs).
enum TwilioAuth {
  /// The token endpoint's base URL variable, and the real one.
  static let oauthURL = Setting.baseURL(
    "ORGSCOPE_TWILIO_OAUTH_URL", default: "https://oauth.twilio.com")

  static let settings: [Setting] = [
    Setting("TWILIO_CLIENT_ID"), .secret("TWILIO_CLIENT_SECRET"), .secret("TWILIO_ACCESS_TOKEN"),
    oauthURL,
  ]

  static let hint = "TWILIO_CLIENT_ID and TWILIO_CLIENT_SECRET (or TWILIO_ACCESS_TOKEN)"

  /// The shared authenticator, its token requests named after `source` in errors; nil when
  /// no Twilio credentials are set. A bad OAuth URL concerns the Twilio tabs only.
  static func authenticator(_ context: ProviderContext, for source: SourceID) throws
    -> (any Authenticator)?
  {
    let auth = try context.sharedAuthenticator("twilio") { () throws -> (any Authenticator)? in
      if let token = context["TWILIO_ACCESS_TOKEN"] {
        return StaticHeaderAuthenticator.bearer(token)
      }
      guard let id = context["TWILIO_CLIENT_ID"], let secret = context["TWILIO_CLIENT_SECRET"]
      else { return nil }
      return TwilioOAuthAuthenticator(
        oauthBase: try context.baseURL(oauthURL, for: source), clientID: id,
        clientSecret: secret, source: source, redactor: context.redactor)
    }
    if let oauth = auth as? TwilioOAuthAuthenticator { return oauth.scoped(to: source) }
    return auth
  }
}
