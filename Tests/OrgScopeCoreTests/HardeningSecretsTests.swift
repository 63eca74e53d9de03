import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import OrgScopeCore

/// Issue 15, findings 1 to 3 and 9: credentials that never leak.
@Suite struct HardeningSecretsTests {
  // MARK: 1. Credentials: trimmed, header-safe, never in an error

  @Test func credentialsAreTrimmedOfSurroundingWhitespaceFromEnvironmentAndFile() throws {
    let configuration = try Configuration.load(
      environment: ["CLOUDFLARE_API_TOKEN": "  tok-abcdefgh\r\n", "SENDGRID_REGION": " eu\t"],
      readFile: false)
    #expect(configuration["CLOUDFLARE_API_TOKEN"] == "tok-abcdefgh")
    #expect(configuration["SENDGRID_REGION"] == "eu")

    let path = try Scratch.configFile("[default]\nSENDGRID_API_KEY = \" SG.key-value\\r\\n\"\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fromFile = try Configuration.load(environment: [:], configPath: path)
    #expect(fromFile["SENDGRID_API_KEY"] == "SG.key-value")
  }

  @Test(arguments: ["tok\rsecretpart1", "tok\nsecretpart1", "tok\u{0}secretpart1", "tok\u{85}x"])
  func aControlCharacterInsideACredentialIsOneLineNamingTheVariableOnly(value: String) throws {
    do {
      _ = try Configuration.load(environment: ["CLOUDFLARE_API_TOKEN": value], readFile: false)
      Issue.record("accepted a credential with a control character")
    } catch let error as OrgScopeError {
      let text = error.description
      #expect(error.exitCode == 2)
      #expect(text.contains("CLOUDFLARE_API_TOKEN"))
      #expect(!text.contains("tok"), "\(text)")
      #expect(!text.contains("secretpart1"))
      #expect(!text.contains("\n"))
    }
  }

  @Test func aControlCharacterInAConfigValueNamesFileLineAndKeyButNotTheValue() throws {
    let path = try Scratch.configFile("[default]\n\nCLOUDFLARE_API_TOKEN = \"abc\\rdefsecret\"\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try Configuration.load(environment: [:], configPath: path)
      Issue.record("accepted a config value with a CR inside")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("\(path):3"))
      #expect(error.description.contains("CLOUDFLARE_API_TOKEN"))
      #expect(!error.description.contains("defsecret"))
    }
  }

  /// The trial's reproduction: a token with a CR inside reaches the transport (here
  /// directly; the configuration refuses it earlier). AsyncHTTPClient's own error would
  /// print the whole header.
  @Test func aHeaderValueIsNeverPartOfAnErrorText() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in HostileServer.json(.ok, "{}") },
      test: {
        base, transport, hits in
        let request = HTTPRequestSpec(
          url: base + "/x", headers: [Header("Authorization", "Bearer leakedtoken123\r")])
        do {
          _ = try await transport.send(request, source: .cloudflare)
          Issue.record("sent a header with a CR")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("Authorization"))
          #expect(!error.description.contains("leakedtoken123"))
        }
        #expect(hits.value == 0)
      })
    let transport = HTTPClientTransport(environment: [:])
    let described = transport.describe(
      HTTPClientError.invalidHeaderFieldValues(["Bearer leakedtoken123\r"]))
    #expect(!described.contains("leakedtoken123"))
    let other = transport.describe(HTTPClientError.invalidURL)
    #expect(other == "HTTP client error: invalidURL")
    await transport.shutdown()
  }

  @Test func anIssuedAccessTokenWithAControlCharacterIsRefusedWithoutShowingIt() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.ok, #"{"access_token":"issuedtoken\r\nX-Evil: 1","expires_in":60}"#)
      },
      test: { base, transport, _ in
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: "client-secret-1", source: .twilioAccounts)
        do {
          _ = try await auth.accessToken(transport: transport)
          Issue.record("accepted a token with CR LF")
        } catch let error as OrgScopeError {
          #expect(!error.description.contains("issuedtoken"))
        }
      })
  }

  // MARK: 2. Redaction: every spelling, every field, before any cut

  @Test func everySpellingOfASecretIsRedacted() {
    let secret = "s3cr3t/Val+ue\"x"
    let redactor = Redactor(secrets: [secret, "Bearer crlftoken\r"])
    let spellings = [
      secret, "s3cr3t%2FVal%2Bue%22x", "s3cr3t%2fVal%2bue%22x", #"s3cr3t/Val+ue\"x"#,
      #"s3cr3t\/Val+ue\"x"#, #"s3cr3t\u002fVal\u002bue\u0022x"#,
      #"s3cr3t\u002FVal\u002Bue\u0022x"#,
    ]
    for spelling in spellings {
      #expect(redactor.redact("before \(spelling) after") == "before *** after", "\(spelling)")
    }
    // How AsyncHTTPClient and Swift print a string with a CR: backslash-escaped.
    #expect(!redactor.redact(#"["Bearer crlftoken\r"]"#).contains("crlftoken"))
    #expect(!redactor.redact("\(["Bearer crlftoken\r"])").contains("crlftoken"))
  }

  @Test func aShortValueIsNotMaskedInFreeText() {
    let redactor = Redactor(secrets: ["e", "abc1234"])
    #expect(
      redactor.redact("every letter e stays, abc1234 too") == "every letter e stays, abc1234 too")
    #expect(redactor.redact("abcd12345") == "abcd12345")
    redactor.add("abcd1234")
    #expect(redactor.redact("key abcd1234") == "key ***")
  }

  /// Every field a provider's error may carry echoes the key back: code, error_code,
  /// errors[].code, error_id, request_id, the X-Request-Id header, messages and titles.
  @Test func aSecretEchoedInAnyFieldOfAnErrorIsRedactedForEverySource() async throws {
    let secret = "SG.echoed-secret-value-0123456789"
    let quoted = JSONWriter.quoted(secret)
    let body = """
      {"code":\(quoted),"error_code":\(quoted),"error_msg":\(quoted),"message":\(quoted),
      "error_id":\(quoted),"request_id":\(quoted),"more_info":\(quoted),"detail":\(quoted),
      "error":{"code":\(quoted),"message":\(quoted)},
      "errors":[{"code":\(quoted),"message":\(quoted),"error_id":\(quoted),"field":\(quoted)}]}
      """
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.unauthorized, body, headers: [HTTPField.Name("X-Request-Id")!: secret])
      }, secrets: [secret],
      test: { base, transport, _ in
        for client in try everySource(base: base, transport: transport, token: secret) {
          do {
            _ = try await client.fetchPage(query: Query(), cursor: nil)
            Issue.record("\(client.source) accepted an error answer")
          } catch let error as OrgScopeError {
            let text = error.description
            #expect(!text.contains(String(secret.prefix(12))), "\(client.source): \(text)")
            #expect(text.contains("***"), "\(client.source): \(text)")
          }
        }
      })
  }

  /// The trial: a message cut at 300 characters showed the first 25 of a 28-character key.
  @Test func redactionRunsBeforeAMessageIsShortened() async throws {
    let secret = "cut-secret-abcdefghijklmnop"
    for padding in [270, 280, 290, 295, 299] {
      let message = String(repeating: "m", count: padding) + secret
      let body = #"{"errors":[{"code":1000,"message":"\#(message)"}],"success":false}"#
      try await HostileServer.run(
        answer: { _, _, _ in HostileServer.json(.badRequest, body) }, secrets: [secret],
        test: { base, transport, _ in
          let client = try oneSource(.cloudflare, base: base, transport: transport)
          do {
            _ = try await client.fetchPage(query: Query(), cursor: nil)
          } catch let error as OrgScopeError {
            #expect(!error.description.contains("cut-secret"), "\(padding)")
          }
        })
    }
  }

  @Test func anHTMLTitleAndAnExcerptAreRedacted() async throws {
    let secret = "html-secret-0123456789"
    for body in ["<html><title>denied \(secret)</title></html>", "plain text \(secret) here"] {
      try await HostileServer.run(
        answer: { _, _, _ in
          Response(
            status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }, secrets: [secret],
        test: { base, transport, _ in
          for client in try everySource(base: base, transport: transport, token: "t0123456789") {
            do {
              _ = try await client.fetchPage(query: Query(), cursor: nil)
            } catch let error as OrgScopeError {
              #expect(!error.description.contains("html-secret"), "\(client.source)")
            }
          }
        })
    }
  }

  /// The trial printed the Twilio client secret echoed by the token endpoint.
  @Test func theTokenEndpointEchoingTheClientSecretIsRedacted() async throws {
    let secret = "client-secret-echoed-42"
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(
          .unauthorized,
          #"{"code":"\#(secret)","message":"bad client_secret=\#(secret)","more_info":"\#(secret)"}"#,
          headers: [HTTPField.Name("X-Request-Id")!: secret])
      }, secrets: [secret],
      test: { base, transport, _ in
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: secret, source: .twilioAccounts)
        do {
          _ = try await auth.accessToken(transport: transport)
          Issue.record("no error")
        } catch let error as OrgScopeError {
          #expect(!error.description.contains("client-secret"), "\(error.description)")
        }
      })
  }

  @Test func aRealLengthIssuedTokenIsLearnedByTheRedactor() async throws {
    try await HostileServer.run(
      answer: { _, _, _ in
        HostileServer.json(.ok, #"{"access_token":"issued-token-0123456789","expires_in":60}"#)
      },
      test: { base, transport, _ in
        let redactor = Redactor()
        let auth = TwilioOAuthAuthenticator(
          oauthBase: try BaseURL.parse(base, source: .twilioAccounts), clientID: "OQ1",
          clientSecret: "client-secret-1", source: .twilioAccounts, redactor: redactor)
        _ = try await auth.accessToken(transport: transport)
        #expect(redactor.redact("got issued-token-0123456789") == "got ***")
      })
  }
}
