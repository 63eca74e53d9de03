import OrgScopeCore
import OrgScopeSandbox

/// `pages`: how many sequential requests `orgscope list` makes for each account source with
/// `--accounts N` records, counted by paging through an in-process sandbox with the real
/// providers and paging engine. The network floor at latency L is that count times L.
enum Pages {
  static let sources: [SourceID] = [.twilioAccounts, .cloudflare, .sendgrid, .huawei]

  static func run(_ options: Options) async throws {
    let accounts = try options.int("accounts", default: 10_000)
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: accounts, roles: 1))
    let transport = HTTPClientTransport()
    do {
      for source in sources {
        let client = try BenchClients.make(
          source, environment: sandbox.environment, transport: transport)
        var requests = 0
        var records = 0
        var largest = 0
        for try await page in client.pages(query: Query()) {
          requests += 1
          records += page.records.count
          largest = max(largest, page.records.count)
          guard requests <= accounts + 10 else { throw BenchError.failed("\(source): no end") }
        }
        // `orgscope list` asks the OAuth endpoint for a token first: one more round trip.
        let tokenRequests = source == .twilioAccounts ? 1 : 0
        try emit([
          "source": source.rawValue, "records": records, "page_requests": requests,
          "token_requests": tokenRequests, "page_size": largest,
        ])
      }
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
  }
}
