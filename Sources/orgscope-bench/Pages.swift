import OrgScopeCore
import OrgScopeSandbox

/// `pages`: how many sequential requests `orgscope list` makes for each account source with
/// `--accounts N` records, counted by paging through an in-process sandbox with the real
/// providers and paging engine. The network floor at latency L is that count times L.
enum Pages {
  static func run(_ options: Options) async throws {
    let accounts = try options.int("accounts", default: 10_000)
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: accounts, roles: 1))
    let transport = HTTPClientTransport()
    do {
      for source in BenchClients.accountSources {
        // A fresh counter per source: its token requests (OAuth) are counted, not assumed.
        let counting = CountingTransport(transport)
        let client = try BenchClients.make(
          source, environment: sandbox.environment, transport: counting)
        var requests = 0
        var records = 0
        var largest = 0
        for try await page in client.pages(query: Query()) {
          requests += 1
          records += page.records.count
          largest = max(largest, page.records.count)
          guard requests <= accounts + 10 else { throw BenchError.failed("\(source): no end") }
        }
        // A source behind OAuth asks the token endpoint first: one more round trip.
        let tokenRequests = counting.tokenRequests
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
