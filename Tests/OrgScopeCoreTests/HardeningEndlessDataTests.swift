import Foundation
import HTTPTypes
import Testing

@testable import OrgScopeCore

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
