import Foundation
import Testing

@testable import OrgScopeCore

/// A small deterministic generator (SplitMix64), so a failing case can be replayed by seed.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Hostile and broken pages for every decoder (issue 5): each case must give a Page or a
/// thrown error, never a crash or a hang. The case counts bound the run to a few seconds.
@Suite(.onWorkThreads) struct FuzzTests {
  /// A real page of each provider's API, the seed its mutations start from.
  static let examples: [SourceID: String] = [
    .twilioAccounts: Examples.twilioAccounts, .twilioRoles: Examples.twilioRoles,
    .cloudflare: Examples.cloudflare, .sendgrid: Examples.sendGrid, .huawei: Examples.huawei,
    .twilioUsers: Examples.twilioUsers,
  ]

  /// Every registered provider with its example page, in registry order.
  static let seeds: [(any Provider, String)] = ProviderRegistry.all.map {
    ($0.offlineProvider(), examples[$0.id] ?? "")
  }

  /// A provider added to the registry is fuzzed too: without an example page it fails here,
  /// by name, instead of being fuzzed from nothing.
  @Test func everyRegisteredProviderHasAnExamplePage() {
    for descriptor in ProviderRegistry.all {
      #expect(Self.examples[descriptor.id] != nil, "no example page for \(descriptor.id)")
    }
  }

  static let interesting: [[UInt8]] = [
    "{", "}", "[", "]", "\"", ",", ":", "null", "\"null,\"", "-0", "1e999", "\\u0000", "\\ud800",
    "{\"a\":", "[[[[", "\u{1B}[2J", "\u{FF}", "true", "\"\"",
  ].map { Array($0.utf8) }

  static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
    var bytes = input
    for _ in 0...Int.random(in: 0...3, using: &random) {
      switch Int.random(in: 0..<6, using: &random) {
      case 0 where !bytes.isEmpty:
        let index = Int.random(in: 0..<bytes.count, using: &random)
        bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
      case 1 where !bytes.isEmpty:
        bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
      case 2:
        let index = Int.random(in: 0...bytes.count, using: &random)
        bytes.insert(
          contentsOf: interesting[Int.random(in: 0..<interesting.count, using: &random)], at: index)
      case 3 where !bytes.isEmpty:
        let start = Int.random(in: 0..<bytes.count, using: &random)
        let end = min(bytes.count, start + Int.random(in: 1...16, using: &random))
        bytes.removeSubrange(start..<end)
      case 4 where !bytes.isEmpty:
        let index = Int.random(in: 0..<bytes.count, using: &random)
        bytes[index] = UInt8.random(in: 0...255, using: &random)
      default:
        let start = Int.random(in: 0...bytes.count, using: &random)
        let slice = bytes[start..<min(bytes.count, start + 32)]
        bytes.insert(contentsOf: slice, at: Int.random(in: 0...bytes.count, using: &random))
      }
    }
    return bytes
  }

  static func randomJSON(_ random: inout SeededRandom, depth: Int = 0) -> JSONValue {
    let keys = [
      "content", "roles", "result", "accounts", "meta", "pages", "page_info", "result_info", "id",
      "sid", "account_sid", "name", "friendly_name", "email", "next_page_url", "next_page_token",
      "next_marker", "last", "policy", "allow", "deny", "success", "errors", "settings", "key",
    ]
    let limit = depth > 4 ? 4 : 8
    switch Int.random(in: 0..<limit, using: &random) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &random))
    case 2: return .number(String(Int.random(in: -1000...1000, using: &random)))
    case 3: return .string(keys.randomElement(using: &random) ?? "")
    case 4:
      return .string(
        String(
          decoding: (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) }, as: UTF8.self))
    case 5, 6:
      var object = JSONObject()
      for _ in 0..<Int.random(in: 0...5, using: &random) {
        object[keys.randomElement(using: &random) ?? "k"] = randomJSON(&random, depth: depth + 1)
      }
      return .object(object)
    default:
      return .array(
        (0..<Int.random(in: 0...4, using: &random)).map { _ in randomJSON(&random, depth: depth + 1)
        })
    }
  }

  /// Decodes and, when a page comes out, also renders its details: both must survive. A
  /// next cursor peeked from the raw body must be the one the full decode finds.
  static func exercise(_ provider: any Provider, _ body: [UInt8]) {
    let peek = provider.peekNext(
      PageResponse(status: 200, body: body), query: Query(), cursor: .token("c"))
    if let page = try? provider.decodePage(body, query: Query(), cursor: .token("c")) {
      if let peek {
        #expect(
          peek == NextPage(page.next), "peek disagrees: \(String(decoding: body, as: UTF8.self))")
      }
      for record in page.records { _ = provider.details(of: record) }
    }
    let error = provider.decodeError(status: 500, headers: [Header("Retry-After", "x")], body: body)
    #expect(error.message.count <= 400)
  }

  @Test(arguments: seeds.indices)
  func mutatedPagesNeverCrashTheDecoder(providerIndex: Int) {
    let (provider, example) = Self.seeds[providerIndex]
    var random = SeededRandom(seed: UInt64(providerIndex) &* 7919 &+ 1)
    let seed = Array(example.utf8)
    var decoded = 0
    for _ in 0..<3000 {
      let body = Self.mutate(seed, &random)
      if (try? provider.decodePage(body, query: Query(), cursor: nil)) != nil { decoded += 1 }
      Self.exercise(provider, body)
    }
    // Some mutations (in whitespace or string contents) must still decode: the fuzzer is
    // really reaching the decoder, not only the JSON parser's first byte.
    #expect(decoded > 0)
  }

  @Test(arguments: seeds.indices)
  func randomJSONPagesNeverCrashTheDecoder(providerIndex: Int) {
    let (provider, _) = Self.seeds[providerIndex]
    var random = SeededRandom(seed: 0xC0FFEE &+ UInt64(providerIndex))
    for _ in 0..<2000 {
      let value = Self.randomJSON(&random)
      Self.exercise(provider, Array(JSONWriter.compact(value).utf8))
    }
  }

  @Test func randomValuesRoundTripThroughWriterAndParser() throws {
    var random = SeededRandom(seed: 42)
    for _ in 0..<3000 {
      let value = Self.randomJSON(&random)
      #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
    }
  }

  @Test func randomBytesGiveAValueOrATypedError() {
    var random = SeededRandom(seed: 7)
    for _ in 0..<5000 {
      let count = Int.random(in: 0..<64, using: &random)
      let body = (0..<count).map { _ in
        Self.interesting.randomElement(using: &random)?.first ?? 0
      }
      do {
        _ = try JSONParser.parse(body)
      } catch {
        #expect(error is JSONParseError)
      }
    }
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

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
