import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import OrgScopeCore

/// A fake of the network only: serves canned responses by exact URL and records what was
/// asked. Everything above it (providers, SourceClient, auth) is the real code.
actor CannedTransport: HTTPTransport {
  private let responses: [String: HTTPResponseData]
  private(set) var requests: [HTTPRequestSpec] = []

  init(_ responses: [String: HTTPResponseData]) {
    self.responses = responses
  }

  init(pages: [String: String]) {
    self.responses = pages.mapValues { HTTPResponseData(status: 200, body: Array($0.utf8)) }
  }

  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    requests.append(request)
    guard let response = responses[request.url] else {
      return HTTPResponseData(status: 404, body: Array("no canned page for \(request.url)".utf8))
    }
    return response
  }
}

func collect(_ client: SourceClient, _ query: Query = Query(), max: Int? = nil) async throws
  -> [Page]
{
  var pages: [Page] = []
  for try await page in client.pages(query: query, maxRecords: max) { pages.append(page) }
  return pages
}

@Suite struct PagingTests {
  let auth = StaticHeaderAuthenticator.bearer("test-token")

  /// A SendGrid client on the real host name, over `transport`.
  func sendGridClient(_ transport: any HTTPTransport, auth: (any Authenticator)? = nil) throws
    -> SourceClient
  {
    SourceClient(
      provider: SendGridProvider(), base: try base("https://api.sendgrid.com", .sendgrid),
      auth: auth ?? self.auth, transport: transport)
  }

  @Test func sendGridPagesToTheEndByOffset() async throws {
    let url = "https://api.sendgrid.com/v3/partners/accounts?limit=2"
    let transport = CannedTransport(pages: [
      url:
        #"{"accounts":[{"id":"sg1","created_at":"x"},{"id":"sg2","created_at":"x"}],"pages":{"last":"sg2"}}"#,
      url + "&offset=sg2":
        #"{"accounts":[{"id":"sg3","created_at":"x"},{"id":"sg4","created_at":"x"}],"pages":{"last":"sg4"}}"#,
      url + "&offset=sg4": #"{"accounts":[{"id":"sg5","created_at":"x"}],"pages":{"last":"sg5"}}"#,
    ])
    let client = try sendGridClient(transport)
    let pages = try await collect(client, Query(pageSize: 2))
    #expect(pages.flatMap(\.records).map(\.id) == ["sg1", "sg2", "sg3", "sg4", "sg5"])
    let sent = await transport.requests
    #expect(sent.count == 3)
    #expect(
      sent.allSatisfy { $0.header("Authorization") == "Bearer test-token" && $0.method == .get })
  }

  @Test func cloudflareResendsTheFilterWithEveryPageToken() async throws {
    let first =
      "https://api.cloudflare.com/client/v4/organizations/o1/accounts?name.contains=web&page_size=50"
    let transport = CannedTransport(pages: [
      first:
        #"{"success":true,"errors":[],"messages":[],"result":[{"id":"a","name":"web1"}],"result_info":{"next_page_token":"p2","total_size":2}}"#,
      first + "&page_token=p2":
        #"{"success":true,"errors":[],"messages":[],"result":[{"id":"b","name":"web2"}],"result_info":{"total_size":2}}"#,
    ])
    let client = SourceClient(
      provider: CloudflareProvider(organizationID: "o1"),
      base: try base("https://api.cloudflare.com/client/v4", .cloudflare), auth: auth,
      transport: transport)
    let pages = try await collect(client, Query(search: "web"))
    #expect(pages.flatMap(\.records).map(\.name) == ["web1", "web2"])
    #expect(pages.first?.total == 2)
  }

  @Test func twilioFollowsNextPageURLOnTheSameOrigin() async throws {
    let first = "https://preview-iam.twilio.com/Organizations/OR1/Accounts?PageSize=100"
    let second =
      "https://preview-iam.twilio.com/Organizations/OR1/Accounts?PageSize=100&PageToken=PT2"
    let transport = CannedTransport(pages: [
      first:
        #"{"content":[{"account_sid":"AC1","friendly_name":"one"}],"meta":{"next_page_url":"\#(second)"}}"#,
      second:
        #"{"content":[{"account_sid":"AC2","friendly_name":"two"}],"meta":{"next_page_url":null}}"#,
    ])
    let client = SourceClient(
      provider: TwilioAccountsProvider(organizationSID: "OR1"),
      base: try base("https://preview-iam.twilio.com", .twilioAccounts), auth: auth,
      transport: transport)
    let pages = try await collect(client)
    #expect(pages.flatMap(\.records).map(\.id) == ["AC1", "AC2"])
  }

  @Test func nextPageURLOnAnotherHostIsRefused() async throws {
    let first = "https://preview-iam.twilio.com/Organizations/OR1/Accounts?PageSize=100"
    let transport = CannedTransport(pages: [
      first:
        #"{"content":[{"account_sid":"AC1"}],"meta":{"next_page_url":"https://evil.example.com/steal?PageToken=x"}}"#
    ])
    let client = SourceClient(
      provider: TwilioAccountsProvider(organizationSID: "OR1"),
      base: try base("https://preview-iam.twilio.com", .twilioAccounts), auth: auth,
      transport: transport)
    await #expect {
      _ = try await collect(client)
    } throws: { error in
      guard case .refusedURL(let source, _) = error as? OrgScopeError else { return false }
      return source == .twilioAccounts
    }
    let sent = await transport.requests
    #expect(sent.map(\.url) == [first])
  }

  @Test func huaweiPagesByMarkerUntilNull() async throws {
    let first = "https://organizations.myhuaweicloud.com/v1/organizations/accounts?limit=1000"
    let transport = CannedTransport(pages: [
      first:
        #"{"accounts":[{"id":"h1","name":"a"}],"page_info":{"next_marker":"m2","current_count":1}}"#,
      first + "&marker=m2":
        #"{"accounts":[{"id":"h2","name":"b"}],"page_info":{"next_marker":null}}"#,
    ])
    let client = SourceClient(
      provider: HuaweiProvider(),
      base: try base("https://organizations.myhuaweicloud.com", .huawei), auth: auth,
      transport: transport)
    #expect(try await collect(client).flatMap(\.records).map(\.id) == ["h1", "h2"])
  }

  static let huaweiFirst =
    "https://organizations.myhuaweicloud.com/v1/organizations/accounts?limit=1000"

  /// Lists Huawei pages served from `pages` (by URL) until an error; the ids that arrived.
  func huaweiIDsBeforeAnError(_ pages: [String: String]) async throws -> [String] {
    let client = SourceClient(
      provider: HuaweiProvider(),
      base: try base("https://organizations.myhuaweicloud.com", .huawei), auth: auth,
      transport: CannedTransport(pages: pages))
    var ids: [String] = []
    await #expect(throws: OrgScopeError.self) {
      for try await page in client.pages(query: Query()) { ids += page.records.map(\.id) }
    }
    return ids
  }

  @Test func pagesReceivedBeforeAnErrorAreYieldedFirst() async throws {
    // Page 2 has no canned answer: the transport answers 404.
    let ids = try await huaweiIDsBeforeAnError([
      Self.huaweiFirst: #"{"accounts":[{"id":"h1","name":"a"}],"page_info":{"next_marker":"m2"}}"#
    ])
    #expect(ids == ["h1"])
  }

  @Test func aRecordThatDoesNotDecodeStopsThePipelinedListing() async throws {
    let ids = try await huaweiIDsBeforeAnError([
      Self.huaweiFirst: #"{"accounts":[{"name":"no id"}],"page_info":{"next_marker":"m2"}}"#,
      Self.huaweiFirst + "&marker=m2":
        #"{"accounts":[{"id":"h2"}],"page_info":{"next_marker":null}}"#,
    ])
    #expect(ids.isEmpty)
  }

  @Test func errorStatusBecomesTheProvidersAPIError() async throws {
    let url = "https://api.sendgrid.com/v3/partners/accounts?limit=100"
    let transport = CannedTransport([
      url: HTTPResponseData(
        status: 401, body: Array(Examples.sendGridError401.utf8))
    ])
    let client = try sendGridClient(transport)
    await #expect(
      throws: OrgScopeError.api(
        APIError(
          source: .sendgrid, status: 401, code: "10-40100", message: "Failed to authenticate user"))
    ) {
      _ = try await client.fetchPage(query: Query(), cursor: nil)
    }
  }

  @Test(arguments: [401, 403])
  func renewableCredentialsAreRenewedOnceAfterARefusal(status: Int) async throws {
    let transport = RefusingTransport(status: status, refusals: 1)
    let client = try sendGridClient(transport, auth: RenewingAuth())
    let page = try await client.fetchPage(query: Query(), cursor: nil)
    #expect(page.records.map(\.id) == ["sg1"])
    #expect(await transport.authorizations == ["Bearer t1", "Bearer t2"])

    // Refused again with the fresh token: one renewal only, then the provider's error.
    let stubborn = RefusingTransport(status: status, refusals: 5)
    let again = try sendGridClient(stubborn, auth: RenewingAuth())
    await #expect(throws: OrgScopeError.self) {
      _ = try await again.fetchPage(query: Query(), cursor: nil)
    }
    #expect(await stubborn.authorizations.count == 2)
  }

  @Test func aSecretEchoedInAnErrorBodyIsRedacted() async throws {
    let url = "https://api.sendgrid.com/v3/partners/accounts?limit=100"
    let body = #"{"errors":[{"message":"key SG.leaked-key is not valid"}]}"#
    let transport = RedactingTransport(
      canned: CannedTransport([url: HTTPResponseData(status: 401, body: Array(body.utf8))]),
      redactor: Redactor(secrets: ["SG.leaked-key"]))
    let client = try sendGridClient(transport)
    do {
      _ = try await client.fetchPage(query: Query(), cursor: nil)
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("key *** is not valid"))
      #expect(!"\(error)".contains("leaked"))
    }
  }

  @Test func truncatedPageBecomesInvalidResponse() async throws {
    let url = "https://api.sendgrid.com/v3/partners/accounts?limit=100"
    let transport = CannedTransport(pages: [url: #"{"accounts":[{"id":"sg1","#])
    let client = try sendGridClient(transport)
    do {
      _ = try await client.fetchPage(query: Query(), cursor: nil)
      Issue.record("expected an error")
    } catch let error as OrgScopeError {
      #expect(
        error.description
          == "SendGrid: HTTP 200: invalid response: invalid JSON at byte 25: unexpected end (truncated?)"
      )
    }
  }
}

@Suite struct LocalFilterTests {
  let records = [
    Record(id: "AC01", name: "Acme Production", fields: JSONObject()),
    Record(id: "AC02", name: "東京 Staging", fields: JSONObject()),
    Record(id: "ACX3", name: "", fields: JSONObject()),
  ]

  func names(_ query: Query) -> [String] {
    records.filter { LocalFilter.matches($0, query: query) }.map(\.id)
  }

  @Test func containsIsCaseInsensitiveOnNameAndID() {
    #expect(names(Query(search: "PROD")) == ["AC01"])
    #expect(names(Query(search: "acx")) == ["ACX3"])
    #expect(names(Query(search: "東京")) == ["AC02"])
    #expect(names(Query(search: "")) == ["AC01", "AC02", "ACX3"])
    #expect(names(Query(search: "nothing")) == [])
  }

  @Test func startsAndEndsWithApplyToNameOrID() {
    #expect(names(Query(search: "acme", match: .startsWith)) == ["AC01"])
    #expect(names(Query(search: "production", match: .startsWith)) == [])
    #expect(names(Query(search: "staging", match: .endsWith)) == ["AC02"])
    #expect(names(Query(search: "x3", match: .endsWith)) == ["ACX3"])
  }

  @Test func sourcesWithoutServerSearchNeedTheLocalFilter() {
    let query = Query(search: "a")
    #expect(LocalFilter.isNeeded(SendGridProvider().capabilities, query: query))
    #expect(LocalFilter.isNeeded(HuaweiProvider().capabilities, query: query))
    #expect(
      LocalFilter.isNeeded(TwilioAccountsProvider(organizationSID: "O").capabilities, query: query))
    #expect(
      !LocalFilter.isNeeded(CloudflareProvider(organizationID: "o").capabilities, query: query))
    #expect(!LocalFilter.isNeeded(TwilioRolesProvider().capabilities, query: query))
    #expect(!LocalFilter.isNeeded(SendGridProvider().capabilities, query: Query()))
  }

  @Test func unsupportedMatchModeFallsBackToTheLocalFilter() {
    let roles = TwilioRolesProvider().capabilities
    #expect(LocalFilter.isNeeded(roles, query: Query(search: "a", match: .startsWith)))
    let cloudflare = CloudflareProvider(organizationID: "o").capabilities
    #expect(!LocalFilter.isNeeded(cloudflare, query: Query(search: "a", match: .endsWith)))
  }

  @Test func applyFiltersOnlyWhenNeeded() {
    let query = Query(search: "staging")
    #expect(
      LocalFilter.apply(records, query: query, capabilities: SourceCapabilities()).map(\.id) == [
        "AC02"
      ])
    let server = SourceCapabilities(serverSearch: true, serverMatchModes: [.contains])
    #expect(LocalFilter.apply(records, query: query, capabilities: server).count == 3)
  }
}

/// Credentials that can be renewed (as Twilio OAuth): each renewal is a new token.
actor RenewingAuth: Authenticator {
  private var generation = 1
  nonisolated var secrets: [String] { [] }
  func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws {
    request.setHeader("Authorization", "Bearer t\(generation)")
  }
  func invalidate() async -> Bool {
    generation += 1
    return true
  }
}

/// Answers `status` to the first `refusals` requests, then one SendGrid page.
actor RefusingTransport: HTTPTransport {
  let status: Int
  var refusals: Int
  private(set) var authorizations: [String] = []
  init(status: Int, refusals: Int) {
    self.status = status
    self.refusals = refusals
  }
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    authorizations.append(request.header("Authorization") ?? "")
    if refusals > 0 {
      refusals -= 1
      return HTTPResponseData(status: status, body: Array(Examples.sendGridError401.utf8))
    }
    return HTTPResponseData(
      status: 200, body: Array(#"{"accounts":[{"id":"sg1","created_at":"x"}],"pages":{}}"#.utf8))
  }
}

/// The canned network, with the redaction of the real transport.
struct RedactingTransport: HTTPTransport {
  let canned: CannedTransport
  let redactor: Redactor
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    try await canned.send(request, source: source)
  }
  func redact(_ text: String) -> String { redactor.redact(text) }
}

/// Answers every request with another SendGrid page that has a next one: a list without end.
actor EndlessTransport: HTTPTransport {
  private(set) var count = 0

  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    count += 1
    let body =
      #"{"accounts":[{"id":"sg\#(count)","created_at":"x"}],"pages":{"last":"sg\#(count)"}}"#
    return HTTPResponseData(status: 200, body: Array(body.utf8))
  }
}

/// Answers the first `answered` requests with SendGrid pages that each have a next one,
/// and holds every later request until its task is cancelled (or `releaseAll`).
final class HoldingTransport: HTTPTransport {
  struct State {
    var sent = 0
    var cancelled = 0
    var sentAfterCancel = 0
    var held: [Int: CheckedContinuation<Void, Error>] = [:]
  }
  let answered: Int
  private let mutex = Mutex(State())

  init(answered: Int) { self.answered = answered }

  var state: State { mutex.withLock { $0 } }

  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    try await send(request, source: source, sent: {})
  }

  /// As a real transport does, `sent` is called once the request has gone out: the engine
  /// hands the previous page on only then.
  func send(
    _ request: HTTPRequestSpec, source: SourceID, sent: @escaping @Sendable () -> Void
  ) async throws -> HTTPResponseData {
    sent()
    let number = mutex.withLock { state in
      state.sent += 1
      if state.cancelled > 0 { state.sentAfterCancel += 1 }
      return state.sent
    }
    if number > answered {
      try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
          let cancelled = mutex.withLock { state in
            if Task.isCancelled { return true }
            state.held[number] = continuation
            return false
          }
          if cancelled { continuation.resume(throwing: CancellationError()) }
        }
      } onCancel: {
        let waiter = mutex.withLock { state in
          state.cancelled += 1
          return state.held.removeValue(forKey: number)
        }
        waiter?.resume(throwing: CancellationError())
      }
    }
    let body =
      #"{"accounts":[{"id":"sg\#(number)","created_at":"x"}],"pages":{"last":"sg\#(number)"}}"#
    return HTTPResponseData(status: 200, body: Array(body.utf8))
  }

  /// Fails every held request, so a test that failed cannot hang.
  func releaseAll() {
    let waiters = mutex.withLock { state in
      defer { state.held = [:] }
      return Array(state.held.values)
    }
    for waiter in waiters { waiter.resume(throwing: CancellationError()) }
  }
}

@Suite struct PagingCancellationTests {
  @Test func aConsumerThatStopsReadingStopsThePaging() async throws {
    // Three pages are answered at once; the fourth request is held until it is cancelled.
    let transport = HoldingTransport(answered: 3)
    defer { transport.releaseAll() }
    let client = SourceClient(
      provider: SendGridProvider(), base: try base("https://api.sendgrid.com", .sendgrid),
      auth: StaticHeaderAuthenticator.bearer("test-token"), transport: transport)
    var seen: [String] = []
    for try await page in client.pages(query: Query(pageSize: 1)) {
      seen += page.records.map(\.id)
      if seen.count == 3 { break }
    }
    #expect(seen == ["sg1", "sg2", "sg3"])
    // Leaving the loop cancels the engine: the request in flight is cancelled, not left to
    // run, and none follows it. Waits on that condition (bounded), not on a clock.
    let deadline = ContinuousClock.now + .seconds(20)
    while transport.state.cancelled == 0 && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(5))
    }
    let state = transport.state
    #expect(state.cancelled == 1, "the held request was not cancelled")
    #expect(state.sent == 4)
    #expect(state.sentAfterCancel == 0)
  }

  @Test func aSlowConsumerHoldsThePagingBack() async throws {
    let transport = EndlessTransport()
    let client = SourceClient(
      provider: SendGridProvider(), base: try base("https://api.sendgrid.com", .sendgrid),
      auth: StaticHeaderAuthenticator.bearer("test-token"), transport: transport)
    var iterator = client.pages(query: Query(pageSize: 1)).makeAsyncIterator()
    #expect(try await iterator.next()?.records.map(\.id) == ["sg1"])
    // The consumer stops reading for a while. Without a bound the engine would page on
    // without end (this transport answers at once); with one it fills the pages that may
    // wait, decodes one more, holds one answer, and stops asking.
    var settled = -1
    for _ in 0..<100 {
      try await Task.sleep(for: .milliseconds(20))
      let count = await transport.count
      if count == settled { break }
      settled = count
    }
    #expect(settled >= 2)
    #expect(settled <= 1 + SourceClient.pagesAhead + 2)
    // Reading on gets every page, in order, and the engine follows.
    var ids: [String] = []
    for _ in 0..<20 { ids += try await iterator.next()?.records.map(\.id) ?? [] }
    #expect(ids == (2...21).map { "sg\($0)" })
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

/// Issue 22, finding 3: pages of 200 roles, each with a fresh cursor and no total (Twilio
/// never sends one), took `roles grants` to 3 GB in 26 s. Every list has a record cap and a
/// repeated-record check, in the one paging engine.
@Suite struct HardeningEndlessDataTests {
  /// A Twilio roles page of 200 roles numbered from `first`, pointing to page `hit + 1`.
  static func rolesPage(first: Int, hit: Int) -> String {
    let roles = (first..<first + 200).map { number in
      #"{"sid":"IX\#(number)","name":"role \#(number)","policy":{"allow":["/twilio/*"],"deny":[]}}"#
    }
    return
      #"{"roles":[\#(roles.joined(separator: ","))],"meta":{"next_page_url":"/v2/Organizations/Roles?PageToken=p\#(hit)"}}"#
  }

  /// Fresh roles on every page: the list ends at the cap with one error, and no page past
  /// the cap reaches the consumer.
  @Test(.timeLimit(.minutes(1)))
  func endlessPagesOfFreshRolesEndAtTheRecordCapWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        guard hit <= 100 else { return HostileServer.json(.notFound, #"{"message":"enough"}"#) }
        return HostileServer.json(.ok, Self.rolesPage(first: hit * 200, hit: hit))
      },
      test: { base, transport, hits in
        var client = try oneSource(.twilioRoles, base: base, transport: transport)
        client.recordCap = 1000
        var records = 0
        do {
          for try await page in client.pages(query: Query()) { records += page.records.count }
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(
            error.description
              == "Twilio: HTTP 200: invalid response: more than 1,000 records; stopped at the record cap (raise it with --max N or max_records in the config file)"
          )
          #expect(error.exitCode == 1)
        }
        #expect(records <= 1000)
        // 5 pages fill the cap; the 6th passes it; at most one request travels ahead.
        #expect(hits.value <= 7, "\(hits.value) requests")
      })
  }

  /// The same 200 roles on every page under a fresh cursor: stopped at the second page.
  @Test(.timeLimit(.minutes(1)))
  func pagesThatRepeatTheSameRolesUnderFreshCursorsEndWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        guard hit <= 100 else { return HostileServer.json(.notFound, #"{"message":"enough"}"#) }
        return HostileServer.json(.ok, Self.rolesPage(first: 0, hit: hit))
      },
      test: { base, transport, hits in
        let client = try oneSource(.twilioRoles, base: base, transport: transport)
        var records = 0
        do {
          for try await page in client.pages(query: Query()) { records += page.records.count }
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(
            error.description
              == "Twilio: HTTP 200: invalid response: page 2 repeats only records already listed and points to another page; stopped"
          )
        }
        #expect(records == 200)
        #expect(hits.value <= 3, "\(hits.value) requests")
      })
  }

  /// `list --max` above the cap raises it: the user asked for that many records.
  @Test(.timeLimit(.minutes(1)))
  func listMaxAboveTheCapRaisesIt() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        guard hit <= 100 else { return HostileServer.json(.notFound, #"{"message":"enough"}"#) }
        return HostileServer.json(.ok, Self.rolesPage(first: hit * 200, hit: hit))
      },
      test: { base, transport, _ in
        var client = try oneSource(.twilioRoles, base: base, transport: transport)
        client.recordCap = 300
        var output = OutputBuffer(sink: { _ in })
        let outcome = try await ListWriter.write(
          client: client, query: Query(),
          options: .init(format: .ndjson, max: 1000, filter: nil, width: nil, utf8: true),
          to: &output)
        #expect(outcome.count == 1000)
      })
  }

  /// The offline reader (snapshots) pages through the same engine: the same bounds.
  @Test(.timeLimit(.minutes(1)))
  func anOfflineSourcePastTheCapEndsWithTheSameError() async throws {
    struct Endless: PageSource {
      func page(query: Query, cursor: PageCursor?) async throws -> Page {
        let number = cursor.flatMap { if case .token(let t) = $0 { Int(t) } else { nil } } ?? 0
        guard number < 1000 else {
          throw OrgScopeError.network(source: .cloudflare, message: "still paging")
        }
        let records = (0..<10).map {
          Record(id: "a\(number * 10 + $0)", name: "", fields: JSONObject())
        }
        return Page(records: records, next: .token(String(number + 1)))
      }
    }
    var client = SourceClient.offline(
      provider: CloudflareProvider(organizationID: ""), pages: Endless())
    client.recordCap = 55
    var records = 0
    do {
      for try await page in client.pages(query: Query()) { records += page.records.count }
      Issue.record("the list ended without an error")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("more than 55 records"), "\(error.description)")
    }
    #expect(records == 50)
  }

  @Test func theCapComesFromTheConfigFileOrTheEnvironment() throws {
    #expect(Configuration(values: [:]).recordCap == PagingEngine.defaultRecordCap)
    let path = try Scratch.configFile("max_records = 2500000\n")
    let fromFile = try Configuration.load(environment: [:], configPath: path)
    #expect(fromFile.recordCap == 2_500_000)
    let fromEnvironment = try Configuration.load(
      environment: ["ORGSCOPE_MAX_RECORDS": "3000000"], configPath: path)
    #expect(fromEnvironment.recordCap == 3_000_000)
    let configured = Configuration(
      values: ["ORGSCOPE_MAX_RECORDS": "3000000", "TWILIO_ACCESS_TOKEN": "t0123456789"])
    let client = try #require(
      configured.makeSources(transport: NoNetwork()).compactMap(\.client).first)
    #expect(client.recordCap == 3_000_000)
    #expect {
      try Configuration.load(environment: ["ORGSCOPE_MAX_RECORDS": "lots"], readFile: false)
    } throws: { error in
      (error as? OrgScopeError)?.description
        == "configuration: ORGSCOPE_MAX_RECORDS (max_records in the file) must be a whole number of at least 1, not \"lots\""
    }
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

/// Issue 15, finding 4: a server that would page forever.
@Suite struct HardeningPagingTests {
  // MARK: 3. Paging guards

  /// The trial: a new cursor on every (empty) page was paged 600 times a second, forever.
  @Test(.timeLimit(.minutes(10)))
  func emptyPagesWithANewCursorEachTimeEndWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok, #"{"success":true,"result":[],"result_info":{"next_page_token":"t\#(hit)"}}"#)
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        var pages = 0
        do {
          for try await _ in client.pages(query: Query()) { pages += 1 }
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("empty pages in a row"), "\(error.description)")
          #expect(error.exitCode == 1)
        }
        #expect(hits.value <= SourceClient.emptyPageLimit + 2)
        #expect(pages <= SourceClient.emptyPageLimit + 1)
      })
  }

  @Test(.timeLimit(.minutes(10)))
  func farMorePagesThanTheReportedTotalEndWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok,
          #"{"success":true,"result":[{"id":"a\#(hit)","name":"n"}],"result_info":{"next_page_token":"t\#(hit)","total_size":3}}"#
        )
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        do {
          for try await _ in client.pages(query: Query()) {}
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("pages for the 3 records"), "\(error.description)")
        }
        // 3 records of 1 per page: at most 2 × 3 + 10 pages, and one request ahead.
        #expect(hits.value <= 2 * 3 + 10 + 2)
      })
  }

  @Test(.timeLimit(.minutes(10)), arguments: [1, 3, 7])
  func maxRequestsBoundsTheRequestsEvenWhenPagesKeepComing(limit: Int) async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok,
          #"{"success":true,"result":[{"id":"a\#(hit)","name":"n"}],"result_info":{"next_page_token":"t\#(hit)"}}"#
        )
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        var records = 0
        for try await page in client.pages(query: Query(), maxRequests: limit) {
          records += page.records.count
        }
        #expect(hits.value == limit)
        #expect(records == limit)
      })
  }
}

/// Issue 20: the offline reader (snapshots) pages through the same engine, guards included.
@Suite struct OfflinePagingTests {
  /// Empty pages with ever-new cursors; past `cap` calls it throws instead of hanging.
  struct EndlessEmptyPages: PageSource {
    let cap: Int
    let calls = Counter()
    func page(query: Query, cursor: PageCursor?) async throws -> Page {
      let call = calls.increment()
      guard call <= cap else {
        throw OrgScopeError.network(source: .cloudflare, message: "still paging after \(cap)")
      }
      return Page(records: [], next: .token("t\(call)"))
    }
  }

  @Test(.timeLimit(.minutes(10)))
  func anEndlessOfflineSourceEndsWithTheSameErrorAsALiveOne() async throws {
    let pages = EndlessEmptyPages(cap: 1000)
    let client = SourceClient.offline(
      provider: CloudflareProvider(organizationID: ""), pages: pages)
    do {
      for try await _ in client.pages(query: Query()) {}
      Issue.record("the list ended without an error")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("empty pages in a row"), "\(error.description)")
      #expect(error.exitCode == 1)
    }
    #expect(pages.calls.value <= SourceClient.emptyPageLimit + 1)
  }
}
