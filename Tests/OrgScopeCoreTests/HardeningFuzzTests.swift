import Foundation
import Testing

@testable import OrgScopeCore

/// Bounded fuzzing (fixed seeds, fixed case counts: a few seconds in all) of what issue 15
/// hardened: every provider's error decoder behind the redactor, the TOML parser and the
/// config reader. Page decoders are fuzzed in `FuzzTests`.
@Suite(.onWorkThreads) struct HardeningFuzzTests {
  static let secret = "fuzz-secret-0123456789abcdef"

  static let errorSeeds: [String] = [
    #"{"code":20403,"message":"Forbidden SECRET","more_info":"https://x/SECRET","status":403}"#,
    #"{"success":false,"errors":[{"code":10000,"message":"Authentication error SECRET"}],"messages":[],"result":null}"#,
    #"{"errors":[{"field":"SECRET","message":"bad key SECRET","error_id":"SECRET"}]}"#,
    #"{"error_code":"Organizations.1001","error_msg":"denied SECRET","request_id":"SECRET"}"#,
    #"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information: SECRET"}}"#,
    "<html><head><title>502 SECRET</title></head><body>SECRET</body></html>",
    "plain text SECRET",
  ].map { $0.replacingOccurrences(of: "SECRET", with: secret) }

  @Test(arguments: FuzzTests.seeds.indices)
  func errorDecodersBehindTheRedactorNeverShowTheSecret(providerIndex: Int) {
    let provider = FuzzTests.seeds[providerIndex].0
    let redactor = Redactor(secrets: [Self.secret])
    var random = SeededRandom(seed: 0x15_0000 + UInt64(providerIndex))
    for round in 0..<400 {
      let seed = Self.errorSeeds[round % Self.errorSeeds.count]
      let body =
        round < Self.errorSeeds.count
        ? Array(seed.utf8)
        : FuzzTests.mutate(
          Array(seed.utf8), &random)
      let response = HTTPResponseData(
        status: [400, 401, 403, 404, 429, 500][round % 6],
        headers: [Header("X-Request-Id", Self.secret), Header("Retry-After", "1")], body: body)
      let clean = ErrorBody.redacting(response, with: redactor.redact)
      let error = ErrorBody.redacting(
        provider.decodeError(status: clean.status, headers: clean.headers, body: clean.body),
        with: redactor.redact)
      let text = error.description
      #expect(!text.contains(Self.secret), "\(provider.source) round \(round): \(text)")
      #expect(!text.contains("\n"))
    }
  }

  static let configSeed = """
    # orgscope
    theme = "dark"

    [default]
    CLOUDFLARE_API_TOKEN = "\(secret)"
    CLOUDFLARE_ORGANIZATION_ID = 'org-1'
    nested = { a = [1, 2.5, true, "x"], b = { c = "d" } }
    multi = \"\"\"
    line
    \"\"\"

    [eu]
    SENDGRID_API_KEY = "SG.\(secret)"
    SENDGRID_REGION = "eu"
    """

  @Test func theTOMLParserGivesATableOrATypedError() {
    var random = SeededRandom(seed: 0x15_7041)
    let seed = Array(Self.configSeed.utf8)
    for _ in 0..<3000 {
      let bytes = FuzzTests.mutate(seed, &random)
      do {
        _ = try TOMLReader.parse(String(decoding: bytes, as: UTF8.self), file: "/tmp/fuzz.toml")
      } catch {
        #expect(error.line >= 1)
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains(Self.secret), "\(error)")
      }
    }
  }

  /// The config reader end to end (a real file, mode 0600): a configuration or one line of
  /// configuration error, and the secret value never in it.
  @Test func theConfigReaderGivesAConfigurationOrOneLineWithoutTheSecret() throws {
    let dir = NSTemporaryDirectory() + "orgscope-fuzz-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/config.toml"
    var random = SeededRandom(seed: 0x15_C0F1)
    let seed = Array(Self.configSeed.replacingOccurrences(of: "nested", with: "# nested").utf8)
    for round in 0..<300 {
      let bytes = round == 0 ? seed : FuzzTests.mutate(seed, &random)
      #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
      chmod(path, 0o600)
      do {
        _ = try Configuration.load(environment: [:], configPath: path)
      } catch let error as OrgScopeError {
        let text = error.description
        #expect(!text.contains("\n"), "round \(round)")
        #expect(!text.contains(Self.secret), "round \(round): \(text)")
      } catch {
        Issue.record("unexpected error type \(error)")
      }
    }
  }
}
