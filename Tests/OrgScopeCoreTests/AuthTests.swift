import Foundation
import Hummingbird
import HummingbirdTesting
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// What the token endpoint received, and how it should answer next.
actor TokenEndpoint {
  private(set) var forms: [String] = []
  private(set) var contentTypes: [String] = []
  var answer: (status: HTTPResponse.Status, body: String) = (
    .ok, #"{"access_token":"tok-1","expires_in":3600,"token_type":"bearer"}"#
  )

  func received(form: String, contentType: String) -> (HTTPResponse.Status, String) {
    forms.append(form)
    contentTypes.append(contentType)
    let body = answer.body.replacingOccurrences(of: "tok-1", with: "tok-\(forms.count)")
    return (answer.status, body)
  }

  func setAnswer(_ status: HTTPResponse.Status, _ body: String) { answer = (status, body) }
}

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_700_000_000)
  var now: Date { lock.withLock { current } }
  func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}

/// Fetches a token; a function so `#expect` sees a plain throwing call.
func token(_ auth: TwilioOAuthAuthenticator, _ transport: any HTTPTransport) async throws -> String
{
  try await auth.accessToken(transport: transport)
}

@Suite struct AuthTests {
  static func withTokenServer(
    _ body: @Sendable (BaseURL, HTTPClientTransport, TokenEndpoint) async throws -> Void
  ) async throws {
    let endpoint = TokenEndpoint()
    let router = Router()
    router.post("v2/token") { request, _ -> Response in
      let form = try await String(buffer: request.body.collect(upTo: 1 << 16))
      let type = request.headers[.contentType] ?? ""
      // A little latency so concurrent callers overlap with the request in flight.
      try await Task.sleep(nanoseconds: 50_000_000)
      let (status, text) = await endpoint.received(form: form, contentType: type)
      return Response(
        status: status, headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
    try await ServerExecutor.run {
      try await Application(router: router).test(.live) { client in
        // The test's own steps back on the cooperative pool: the server's threads serve.
        try await ServerExecutor.leave {
          let port = try #require(client.port)
          let base = try BaseURL.parse("http://localhost:\(port)", source: .twilioAccounts)
          let transport = HTTPClientTransport(
            options: HTTPTransportOptions(maxRetries: 0), environment: [:])
          do {
            try await body(base, transport, endpoint)
          } catch {
            await transport.shutdown()
            throw error
          }
          await transport.shutdown()
        }
      }
    }
  }

  @Test func tokenRequestIsAFormPostWithClientCredentials() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      let redactor = Redactor()
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ123", clientSecret: "s&cret=1", source: .twilioAccounts,
        redactor: redactor)
      var request = HTTPRequestSpec(
        url: "https://preview-iam.twilio.com/Organizations/OR1/Accounts")
      try await auth.authorize(&request, transport: transport)
      #expect(request.header("Authorization") == "Bearer tok-1")
      #expect(
        await endpoint.forms
          == ["grant_type=client_credentials&client_id=OQ123&client_secret=s%26cret%3D1"])
      #expect(await endpoint.contentTypes == ["application/x-www-form-urlencoded"])
      #expect(auth.secrets == ["s&cret=1"])
      // Shorter than `Redactor.minimumLength`: not masked in free text (a one-letter token
      // would mask every "e"); HardeningTests checks that a real-length token is learned.
      #expect(redactor.redact("got tok-1") == "got tok-1")
    }
  }

  @Test func concurrentCallersShareOneTokenRequest() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioRoles)
      let headers = try await withThrowingTaskGroup(of: String?.self) { group in
        for _ in 0..<8 {
          group.addTask {
            var request = HTTPRequestSpec(url: "https://iam.twilio.com/v2/Organizations/Roles")
            try await auth.authorize(&request, transport: transport)
            return request.header("Authorization")
          }
        }
        var all: [String?] = []
        for try await header in group { all.append(header) }
        return all
      }
      #expect(headers == Array(repeating: "Bearer tok-1", count: 8))
      #expect(await endpoint.forms.count == 1)
    }
  }

  @Test func tokenIsCachedThenRenewedBeforeExpiryAndAfterInvalidate() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      let clock = TestClock()
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioAccounts,
        now: { clock.now })
      let token1 = try await token(auth, transport)
      #expect(token1 == "tok-1")
      clock.advance(3000)
      let token2 = try await token(auth, transport)
      #expect(token2 == "tok-1")
      clock.advance(560)  // 3560 s: inside the renewal margin of a 3600 s token
      let token3 = try await token(auth, transport)
      #expect(token3 == "tok-2")
      #expect(await auth.invalidate() == true)
      let token4 = try await token(auth, transport)
      #expect(token4 == "tok-3")
      #expect(await endpoint.forms.count == 3)
    }
  }

  @Test func hugeExpiresInIsTolerated() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      await endpoint.setAnswer(.ok, #"{"access_token":"tok-1","expires_in":1438315200000}"#)
      let clock = TestClock()
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioAccounts,
        now: { clock.now })
      let token5 = try await token(auth, transport)
      #expect(token5 == "tok-1")
      clock.advance(3000)
      let token6 = try await token(auth, transport)
      #expect(token6 == "tok-1")
      // Not a duration: the token is taken to live the default hour, not 24 h or 45 years.
      clock.advance(600)
      let token7 = try await token(auth, transport)
      #expect(token7 == "tok-2")
    }
    #expect(TwilioOAuthAuthenticator.lifetime(.number("1e400")) == 3600)
    #expect(TwilioOAuthAuthenticator.lifetime(.number("1438315200000")) == 3600)
    #expect(TwilioOAuthAuthenticator.lifetime(.string("120")) == 120)
    #expect(TwilioOAuthAuthenticator.lifetime(nil) == 3600)
  }

  @Test func jwtExpiryBoundsTheLifetime() {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    // {"alg":"none"}.{"exp":1800000600}.sig
    let jwt = "eyJhbGciOiJub25lIn0.eyJleHAiOjE4MDAwMDA2MDB9.c2ln"
    let expiry = TwilioOAuthAuthenticator.jwtExpiry(jwt)
    #expect(expiry == Date(timeIntervalSince1970: 1_800_000_600))
    #expect(TwilioOAuthAuthenticator.jwtExpiry("opaque-token") == nil)
    #expect(TwilioOAuthAuthenticator.jwtExpiry("a.%%%.c") == nil)
    // A JWT that ends sooner than expires_in says wins; a bogus expires_in defers to it.
    #expect(TwilioOAuthAuthenticator.lifetime(.number("3600"), jwtExpiry: expiry, now: now) == 600)
    #expect(
      TwilioOAuthAuthenticator.lifetime(.number("1438315200000"), jwtExpiry: expiry, now: now)
        == 600)
    #expect(TwilioOAuthAuthenticator.lifetime(.number("300"), jwtExpiry: expiry, now: now) == 300)
  }

  @Test(arguments: [
    #"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#,
    #"{"code":20003,"message":"Authenticate","moreInfo":"https://www.twilio.com/docs/errors/20003","status":401}"#,
  ])
  func tokenErrorIsDecodedFromTheTwilioBody(body: String) async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      await endpoint.setAnswer(.unauthorized, body)
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioRoles)
      await #expect {
        _ = try await auth.accessToken(transport: transport)
      } throws: { error in
        guard case .api(let api) = error as? OrgScopeError else { return false }
        return api.source == .twilioRoles && api.status == 401 && api.code == "20003"
          && api.message.contains("Authenticate")
          && "\(error)".hasPrefix("Twilio: HTTP 401 (code 20003): token request failed")
      }
    }
  }

  @Test func bothTwilioTabsShareOneTokenAndErrorsNameTheAskingTab() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      let shared = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioAccounts)
      let accounts = shared.scoped(to: .twilioAccounts)
      let roles = shared.scoped(to: .twilioRoles)
      var one = HTTPRequestSpec(url: "https://preview-iam.twilio.com/Organizations/OR1/Accounts")
      var two = HTTPRequestSpec(url: "https://iam.twilio.com/v2/Organizations/Roles")
      try await accounts.authorize(&one, transport: transport)
      try await roles.authorize(&two, transport: transport)
      #expect(one.header("Authorization") == "Bearer tok-1")
      #expect(two.header("Authorization") == "Bearer tok-1")
      #expect(await endpoint.forms.count == 1)
      #expect(roles.secrets == ["sec"])

      await endpoint.setAnswer(.badRequest, #"{"code":400,"message":"bad request","status":400}"#)
      #expect(await roles.invalidate() == true)
      await #expect {
        try await roles.authorize(&two, transport: transport)
      } throws: { error in
        guard case .api(let api) = error as? OrgScopeError else { return false }
        return api.source == .twilioRoles && api.status == 400
      }
    }
  }

  @Test func answerWithoutATokenIsAnInvalidResponse() async throws {
    try await Self.withTokenServer { base, transport, endpoint in
      await endpoint.setAnswer(.ok, #"{"token_type":"bearer"}"#)
      let auth = TwilioOAuthAuthenticator(
        oauthBase: base, clientID: "OQ1", clientSecret: "sec", source: .twilioAccounts)
      await #expect {
        _ = try await auth.accessToken(transport: transport)
      } throws: { error in
        if case .invalidResponse(.twilioAccounts, 200, _) = error as? OrgScopeError { return true }
        return false
      }
    }
  }

  @Test func staticBearerCannotBeRenewed() async throws {
    let auth = StaticHeaderAuthenticator.bearer("ready-token")
    var request = HTTPRequestSpec(url: "https://iam.twilio.com/v2/Organizations/Roles")
    try await auth.authorize(&request, transport: NoTransport())
    #expect(request.header("Authorization") == "Bearer ready-token")
    #expect(await auth.invalidate() == false)
    #expect(auth.secrets == ["ready-token"])
  }
}
