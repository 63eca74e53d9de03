import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 20: `G` on a Cloudflare server that answers empty pages with ever-new cursors sent
/// 403 requests in 20 s and never stopped. The TUI pages through the same engine as the CLI.
@Suite struct EndlessPagingTests {
  /// Empty pages, each pointing to a page never seen before; throws past `cap` calls so a
  /// list that would never end fails the test instead of hanging it.
  struct EndlessEmptyPages: PageSource {
    let cap: Int
    func page(query: Query, cursor: PageCursor?) async throws -> Page {
      let number = cursor.flatMap { if case .token(let text) = $0 { Int(text) } else { nil } } ?? 0
      guard number < cap else {
        throw OrgScopeError.network(source: .cloudflare, message: "still paging after \(cap)")
      }
      return Page(records: [], next: .token(String(number + 1)))
    }
  }

  /// What `orgscope list cloudflare` says of such a server (the offline client runs the same
  /// engine as the live one).
  func cliMessage() async -> String {
    let client = SourceClient.offline(
      provider: CloudflareProvider(organizationID: ""), pages: EndlessEmptyPages(cap: 1000))
    do {
      for try await _ in client.pages(query: Query()) {}
      return "the list ended without an error"
    } catch {
      return (error as? OrgScopeError)?.description ?? "\(error)"
    }
  }

  @Test func goToTheEndOnAnEndlessServerStopsWithTheCLIsMessage() async throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let go = App.start(&state) + App.update(&state, .key(.character("G")))
    var served = 0
    let requests = Fixtures.answer(&state, go, limit: 1000) { _ in
      served += 1
      return Page(records: [], next: .token("t\(served)"))
    }
    #expect(requests <= SourceClient.emptyPageLimit + 1, "\(requests) requests")
    let listing = try #require(state.tabs[0].listing)
    let message = await cliMessage()
    #expect(message.contains("empty pages in a row"), "\(message)")
    #expect(listing.error == message)
    #expect(state.tabs[0].loadingToEnd == nil)
    // Nothing more is asked for, whatever the keys do.
    #expect(App.update(&state, .key(.character("G"))).fetches.isEmpty)
  }

  /// A server whose pages never end (one record each, no total): the TUI keeps paging while
  /// asked to, and what it remembers of the cursors stays bounded.
  @Test func theCursorsRememberedForALongListStayBounded() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    var pending = App.start(&state).fetches
    let pages = PagingEngine.recentCursorCapacity * 2 + 10
    var requests = 0
    while let request = pending.first, requests < pages {
      pending.removeFirst()
      requests += 1
      pending +=
        App.update(
          &state,
          .pageLoaded(
            tab: request.tab, generation: request.generation, cursor: request.cursor,
            page: Page(records: [Fixtures.account(requests)], next: .token("t\(requests)")))
        ).fetches
      if pending.isEmpty { pending += App.update(&state, .key(.character("G"))).fetches }
    }
    #expect(requests == pages)
    let listing = try #require(state.tabs[0].listing)
    #expect(listing.error == nil)
    #expect(listing.paging.remembered <= PagingEngine.recentCursorCapacity)
  }
}
