import OrgScopeCore
import Testing

@testable import OrgScopeTUI

@Suite struct UpdateTests {
  func deliver(_ state: inout AppState, _ request: FetchRequest, _ page: Page) -> [Command] {
    App.update(
      &state,
      .pageLoaded(
        tab: request.tab, generation: request.generation, cursor: request.cursor, page: page))
  }

  @Test func startFetchesOnlyTheFirstTabsFirstPage() throws {
    var state = AppState(sources: [Fixtures.cloudflare, Fixtures.sendgrid])
    let fetches = App.start(&state).fetches
    #expect(fetches.count == 1)
    let first = try #require(fetches.first)
    #expect(first.source == .cloudflare)
    #expect(first.cursor == nil)
    #expect(state.tabs[1].shown == false)
  }

  @Test func firstPageLeadsToAtMostOnePageAhead() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let first = try #require(App.start(&state).fetches.first)
    let second = deliver(&state, first, Fixtures.page(0..<50, next: "p2")).fetches
    #expect(second.map(\.cursor) == [.token("p2")])
    let third = deliver(&state, try #require(second.first), Fixtures.page(50..<100, next: "p3"))
    #expect(third.fetches.isEmpty)
    #expect(state.tabs[0].rowCount == 100)
  }

  @Test func scrollingTowardTheEndFetchesTheNextPageOnce() throws {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { request in
      switch request.cursor {
      case nil: Fixtures.page(0..<50, next: "p2")
      case .token("p2"): Fixtures.page(50..<100, next: "p3")
      default: nil
      }
    }
    var fetched: [FetchRequest] = []
    for _ in 0..<80 { fetched += App.update(&state, .key(.character("j"))).fetches }
    #expect(fetched.map(\.cursor) == [.token("p3")])
    #expect(state.tabs[0].cursor == 80)
    // The request is in flight: holding the key does not ask again.
    for _ in 0..<19 { fetched += App.update(&state, .key(.down)).fetches }
    #expect(fetched.count == 1)
    #expect(state.tabs[0].cursor == 99)
  }

  @Test func aPageIsNeverRequestedTwiceForTheSameQuery() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let first = try #require(App.start(&state).fetches.first)
    // A server that hands back a cursor already used must not make the list loop.
    let next = deliver(&state, first, Fixtures.page(0..<50, next: "p2")).fetches
    let again = deliver(&state, try #require(next.first), Fixtures.page(50..<100, next: "p2"))
    #expect(again.fetches.isEmpty)
    _ = App.update(&state, .key(.end))
    #expect(state.tabs[0].listing?.exhausted == true)
    #expect(state.tabs[0].listing?.paging.requests == 2)
  }

  @Test func showingATabLoadsItOnceAndTabKeysCycle() throws {
    var state = AppState(sources: [Fixtures.cloudflare, Fixtures.sendgrid, Fixtures.huaweiMissing])
    _ = App.start(&state)
    let shown = App.update(&state, .key(.tab))
    #expect(state.active == 1)
    #expect(shown.fetches.map(\.source) == [.sendgrid])
    #expect(App.update(&state, .key(.backTab)).fetches.isEmpty)
    #expect(state.active == 0)
    #expect(App.update(&state, .key(.character("2"))).fetches.isEmpty)
    #expect(state.active == 1)
    #expect(App.update(&state, .key(.character("3"))).fetches.isEmpty)
    #expect(state.active == 2)
    _ = App.update(&state, .key(.tab))
    #expect(state.active == 0)
    _ = App.update(&state, .key(.character("9")))
    #expect(state.active == 0)
  }

  @Test func serverSearchIsDebouncedAndSentWithTheFinalText() throws {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { request in
      request.cursor == nil ? Fixtures.page(0..<50, next: nil) : nil
    }
    _ = App.update(&state, .key(.character("/")))
    #expect(state.focus == .search)
    var debounces: [(Int, Int)] = []
    for character in "acme" {
      for command in App.update(&state, .key(.character(character))) {
        if case .debounce(let tab, let token, _) = command { debounces.append((tab, token)) }
        #expect(command.isFetch == false)
      }
    }
    #expect(debounces.count == 4)
    // Earlier timers are stale: only the last one fetches.
    #expect(App.update(&state, .debounceFired(tab: 0, token: debounces[0].1)).isEmpty)
    let fetches = App.update(&state, .debounceFired(tab: 0, token: debounces[3].1)).fetches
    let request = try #require(fetches.first)
    #expect(request.query.search == "acme")
    #expect(request.cursor == nil)
    let url = try CloudflareProvider(organizationID: "org1")
      .request(base: Fixtures.base, query: request.query, cursor: nil).url
    #expect(url.contains("name.contains=acme"))
  }

  @Test func stalePageForAnOlderQueryIsNeverShown() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let unfiltered = try #require(App.start(&state).fetches.first)
    _ = App.update(&state, .key(.character("/")))
    guard
      case .debounce(_, let token, _) = try #require(
        App.update(&state, .key(.character("z"))).first)
    else {
      Issue.record("expected a debounce")
      return
    }
    let search = try #require(
      App.update(&state, .debounceFired(tab: 0, token: token)).fetches.first)
    #expect(search.generation != unfiltered.generation)
    // The unfiltered answer arrives late: it must not reach the list.
    _ = deliver(&state, unfiltered, Fixtures.page(0..<50, next: "p2"))
    #expect(state.tabs[0].rowCount == 0)
    _ = deliver(&state, search, Page(records: [Fixtures.account(7, name: "Zeta")], next: nil))
    #expect(state.tabs[0].rowCount == 1)
    #expect(state.tabs[0].selected?.name == "Zeta")
  }

  @Test func clearingTheSearchReturnsToTheLoadedListWithoutFetchingAgain() throws {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { request in
      request.query.search.isEmpty ? Fixtures.page(0..<50, next: nil) : nil
    }
    _ = App.update(&state, .key(.character("/")))
    let debounce = App.update(&state, .key(.character("q")))
    guard case .debounce(_, let token, _) = try #require(debounce.first) else { return }
    #expect(App.update(&state, .debounceFired(tab: 0, token: token)).fetches.count == 1)
    let cleared = App.update(&state, .key(.escape))
    #expect(cleared.fetches.isEmpty)
    #expect(state.focus == .list)
    #expect(state.tabs[0].rowCount == 50)
  }

  @Test func localSearchFiltersAtOnceAndKeepsLoadingInTheBackground() throws {
    var state = AppState(sources: [Fixtures.sendgrid])
    let first = try #require(App.start(&state).fetches.first)
    let more = deliver(&state, first, Fixtures.page(0..<100, next: "100"))
    let second = try #require(more.fetches.first)
    _ = deliver(&state, second, Fixtures.page(100..<200, next: "200"))
    _ = App.update(&state, .key(.character("/")))
    var commands: [Command] = []
    for character in "hooli" { commands += App.update(&state, .key(.character(character))) }
    #expect(commands.contains { if case .debounce = $0 { true } else { false } } == false)
    #expect(state.tabs[0].rowCount == 20)
    #expect(state.tabs[0].selected?.name.hasPrefix("Hooli") == true)
    // Still looking for more matches: the next page is asked for although the cursor is at 0.
    let background = try #require(commands.fetches.first)
    #expect(background.cursor == .token("200"))
    #expect(background.query.search == "")
    _ = deliver(&state, background, Fixtures.page(200..<300, next: nil))
    #expect(state.tabs[0].rowCount == 30)
    // Narrowing filters the matches again.
    _ = App.update(&state, .key(.character(" ")))
    _ = App.update(&state, .key(.character("1")))
    // Hooli 19, 109, 119 ... 199.
    #expect(state.tabs[0].rowCount == 11)
    _ = App.update(&state, .key(.backspace))
    _ = App.update(&state, .key(.backspace))
    #expect(state.tabs[0].rowCount == 30)
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .list)
    #expect(state.tabs[0].query.search == "hooli")
  }

  @Test func filtersDialogMakesANewQueryGeneration() throws {
    var state = Fixtures.loaded([Fixtures.roles]) { request in
      request.cursor == nil ? Page(records: [Fixtures.role(1)], next: nil) : nil
    }
    let before = try #require(state.tabs[0].listing?.generation)
    _ = App.update(&state, .key(.character("f")))
    #expect(state.focus == .filters)
    #expect(
      state.filterDialog?.fields == [
        .match, .filter(name: "product-group", label: "Product group", isFlag: false),
        .filter(name: "resource-types", label: "Resource types", isFlag: false),
      ])
    _ = App.update(&state, .key(.down))
    for character in "voice" { _ = App.update(&state, .key(.character(character))) }
    let fetches = App.update(&state, .key(.enter)).fetches
    let request = try #require(fetches.first)
    #expect(request.query.filters["product-group"] == "voice")
    #expect(request.generation > before)
    #expect(state.focus == .list)
  }

  @Test func escapeCancelsTheFiltersDialogWithoutFetching() {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in Fixtures.page(0..<5, next: nil) }
    _ = App.update(&state, .key(.character("f")))
    _ = App.update(&state, .key(.right))
    #expect(state.filterDialog?.draft.match == .startsWith)
    #expect(App.update(&state, .key(.escape)).isEmpty)
    #expect(state.tabs[0].query.match == .contains)
  }

  @Test func enterFocusesTheDetailPaneAndKeysScrollIt() {
    var state = Fixtures.loaded([Fixtures.roles], width: 80, height: 24) { request in
      request.cursor == nil ? Page(records: [Fixtures.role(1), Fixtures.role(2)], next: nil) : nil
    }
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .detail)
    _ = App.update(&state, .key(.character("j")))
    #expect(state.tabs[0].cursor == 0)
    #expect(state.tabs[0].detailScroll == 1)
    _ = App.update(&state, .key(.character("G")))
    let bottom = state.tabs[0].detailScroll
    #expect(bottom > 1)
    _ = App.update(&state, .key(.character("j")))
    #expect(state.tabs[0].detailScroll == bottom)
    _ = App.update(&state, .key(.escape))
    #expect(state.focus == .list)
    _ = App.update(&state, .key(.character("j")))
    #expect(state.tabs[0].cursor == 1)
    #expect(state.tabs[0].detailScroll == 0)
  }

  @Test func pageFailureIsShownAndReloadStartsAgain() throws {
    var state = AppState(sources: [Fixtures.cloudflare])
    let first = try #require(App.start(&state).fetches.first)
    _ = App.update(
      &state,
      .pageFailed(
        tab: 0, generation: first.generation, cursor: nil,
        error: "Cloudflare: HTTP 403 (code 9109): Unauthorized"))
    #expect(state.tabs[0].listing?.error != nil)
    #expect(App.update(&state, .key(.character("j"))).isEmpty)
    let retry = try #require(App.update(&state, .key(.character("r"))).fetches.first)
    #expect(retry.cursor == nil)
    #expect(retry.generation != first.generation)
    #expect(state.tabs[0].listing?.error == nil)
  }

  @Test func copyingAHostileIDCopiesNoControlCharacters() throws {
    let hostile = Fixtures.account(1, name: "x")
    let record = Record(id: "id\u{1B}]0;owned\u{07}\nrm -rf", name: "x", fields: hostile.fields)
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in
      Page(records: [record], next: nil)
    }
    guard case .copy(let copied)? = App.update(&state, .key(.character("y"))).first else {
      Issue.record("expected a copy")
      return
    }
    #expect(!copied.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    #expect(copied.hasPrefix("id"))
  }

  @Test func copyExportAndQuitBecomeCommands() throws {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in Fixtures.page(0..<3, next: nil) }
    let id = try #require(state.tabs[0].selected?.id)
    #expect(App.update(&state, .key(.character("y"))) == [.copy(id)])
    _ = App.update(&state, .key(.character("e")))
    #expect(state.focus == .exportPrompt)
    let export = App.update(&state, .key(.character("c")))
    guard case .export(let request) = try #require(export.first) else {
      Issue.record("expected an export")
      return
    }
    #expect(request.format == .csv)
    #expect(request.records.count == 3)
    #expect(App.update(&state, .key(.character("q"))) == [.quit])
    #expect(state.quitting)
  }

  @Test func ctrlCQuitsEvenWhileSearching() {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in Fixtures.page(0..<3, next: nil) }
    _ = App.update(&state, .key(.character("/")))
    #expect(App.update(&state, .key(.ctrl("c"))) == [.quit])
  }

  @Test func qTypedIntoTheSearchIsText() {
    var state = Fixtures.loaded([Fixtures.sendgrid]) { _ in Fixtures.page(0..<3, next: nil) }
    _ = App.update(&state, .key(.character("/")))
    #expect(App.update(&state, .key(.character("q"))).contains(.quit) == false)
    #expect(state.tabs[0].searchText == "q")
  }

  @Test func resizeKeepsTheCursorVisible() {
    var state = Fixtures.loaded([Fixtures.cloudflare], width: 120, height: 40) { request in
      request.cursor == nil ? Fixtures.page(0..<50, next: nil) : nil
    }
    for _ in 0..<30 { _ = App.update(&state, .key(.down)) }
    _ = App.update(&state, .resize(width: 60, height: 20))
    let rows = Layout(width: 60, height: 20).listRows
    let tab = state.tabs[0]
    #expect(tab.cursor >= tab.top && tab.cursor < tab.top + rows)
  }

  @Test func missingSourceNeverFetches() {
    var state = AppState(sources: [Fixtures.huaweiMissing, Fixtures.cloudflare])
    // The first configured source is shown at start.
    #expect(App.start(&state).fetches.map(\.source) == [.cloudflare])
    #expect(App.update(&state, .key(.character("1"))).isEmpty)
    #expect(state.active == 0)
    #expect(App.update(&state, .key(.character("/"))).isEmpty)
    #expect(state.focus == .list)
    #expect(App.update(&state, .key(.character("r"))).isEmpty)
  }
}

extension Command {
  var isFetch: Bool {
    if case .fetch = self { return true }
    return false
  }
}

@Suite struct ServerSearchModeTests {
  @Test func rolesStartsWithSearchesOnTheServerAndNarrowsLocally() throws {
    var state = Fixtures.loaded([Fixtures.roles]) { request in
      request.cursor == nil ? Page(records: [Fixtures.role(1)], next: nil) : nil
    }
    _ = App.update(&state, .key(.character("f")))
    _ = App.update(&state, .key(.right))
    _ = App.update(&state, .key(.enter))
    #expect(state.tabs[0].query.match == .startsWith)
    _ = App.update(&state, .key(.character("/")))
    var token = 0
    for character in "admin" {
      for command in App.update(&state, .key(.character(character))) {
        if case .debounce(_, let latest, _) = command { token = latest }
      }
    }
    let request = try #require(
      App.update(&state, .debounceFired(tab: 0, token: token)).fetches.first)
    #expect(request.query.search == "admin")
    // "Billing admin 1" contains "admin" (the server's answer) but does not start with it.
    _ = App.update(
      &state,
      .pageLoaded(
        tab: 0, generation: request.generation, cursor: nil,
        page: Page(records: [Fixtures.role(1)], next: nil)))
    #expect(state.tabs[0].listing?.records.count == 1)
    #expect(state.tabs[0].rowCount == 0)
  }
}
