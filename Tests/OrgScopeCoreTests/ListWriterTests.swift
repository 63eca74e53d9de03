import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Synchronization
import Testing

/// `orgscope list`'s writer, as a library: every format against the sandbox, into a buffer.
@Suite struct ListWriterTests {
  /// Runs `body` with a client of `source` on a sandbox of 250 accounts.
  static func withClient(
    _ source: SourceID,
    _ body: @Sendable (SourceClient) async throws -> Void
  ) async throws {
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: 250, roles: 20))
    let transport = HTTPClientTransport(environment: [:])
    do {
      let configuration = try Configuration.load(environment: sandbox.environment, readFile: false)
      let client = try #require(
        configuration.makeSources(transport: transport).first { $0.source == source }?.client)
      try await body(client)
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
  }

  /// The listing's text and what the writer reported.
  static func list(
    _ client: SourceClient, query: Query = Query(), _ options: ListWriter.Options
  ) async throws -> (text: String, outcome: ListWriter.Outcome) {
    let bytes = Mutex<[UInt8]>([])
    var output = OutputBuffer { raw in bytes.withLock { $0 += raw } }
    let outcome = try await ListWriter.write(
      client: client, query: query, options: options, to: &output)
    output.flush()
    return (String(decoding: bytes.withLock { $0 }, as: UTF8.self), outcome)
  }

  @Test func ndjsonHasEveryRecordOnceAndJSONIsOneArray() async throws {
    try await Self.withClient(.sendgrid) { client in
      let (text, outcome) = try await Self.list(client, ListWriter.Options(format: .ndjson))
      let lines = text.split(separator: "\n")
      #expect(lines.count == 250 && outcome.count == 250)
      let ids = try lines.map { line -> String in
        let value = try JSONParser.parse(Array(line.utf8))
        return try #require(value.object?["id"]?.string ?? value.object?["sid"]?.string)
      }
      #expect(Set(ids).count == 250)
      let (json, _) = try await Self.list(client, ListWriter.Options(format: .json))
      #expect(try JSONParser.parse(Array(json.utf8)).array?.count == 250)
      #expect(outcome.notices.isEmpty && outcome.missingFields == nil)
    }
  }

  @Test func maxBoundsRecordsAndRequestsAndSaysSo() async throws {
    try await Self.withClient(.sendgrid) { client in
      let (text, outcome) = try await Self.list(
        client, query: Query(search: "zzzz-no-such-name"),
        ListWriter.Options(format: .ndjson, max: 1))
      #expect(text.isEmpty && outcome.count == 0)
      #expect(outcome.notices.contains { $0.contains("stopped after 1 page requests") })
    }
  }

  @Test func aTableInAPipeIsWholeAndCSVHasAHeader() async throws {
    try await Self.withClient(.cloudflare) { client in
      let (table, _) = try await Self.list(client, ListWriter.Options(format: .table, max: 5))
      let rows = table.split(separator: "\n")
      #expect(rows.count == 6)
      let (csv, _) = try await Self.list(client, ListWriter.Options(format: .csv, max: 5))
      #expect(csv.split(whereSeparator: \.isNewline).count == 6)
      #expect(csv.hasPrefix("id,") || csv.contains(",name"))
    }
  }

  @Test func aFieldNoRecordHasIsReportedAfterTheRecords() async throws {
    try await Self.withClient(.huawei) { client in
      let filter = try FieldFilter(parsing: "stauts=suspended")
      let (text, outcome) = try await Self.list(
        client, ListWriter.Options(format: .ndjson, filter: filter))
      #expect(text.isEmpty)
      #expect(outcome.missingFields?.contains(#"did you mean "status"?"#) == true)
    }
  }
}
