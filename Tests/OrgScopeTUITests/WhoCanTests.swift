import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// The roles tab's "who can" audit (`p`) and the detail pane's search, driven through
/// `update` with plain messages.
@Suite struct WhoCanTests {
  /// The audit roles in two pages, so that answering needs every page.
  static func pages(_ request: FetchRequest) -> Page? {
    guard request.source == .twilioRoles else { return nil }
    let roles = Fixtures.auditRoles
    switch request.cursor {
    case nil: return Page(records: Array(roles[0..<4]), next: .token("p2"), total: roles.count)
    case .token("p2")?: return Page(records: Array(roles[4...]), next: nil)
    default: return nil
    }
  }

  static func typed(_ text: String, width: Int = 80, height: Int = 24) -> AppState {
    var state = Fixtures.loaded([Fixtures.roles], width: width, height: height) { request in
      request.cursor == nil ? pages(request) : nil
    }
    #expect(state.tabs[0].rowCount == 4)
    _ = App.update(&state, .key(.character("p")))
    var last: [Command] = []
    for character in text { last = App.update(&state, .key(.character(character))) }
    guard case .debounce(let tab, let token, _)? = last.first else {
      Issue.record("typing asks for a debounce: \(last)")
      return state
    }
    Fixtures.send(&state, .debounceFired(tab: tab, token: token), pages: pages)
    // The second page was asked for at start and is still on its way: the answer waits
    // for it, and says so.
    if let listing = state.tabs[0].listing, !listing.exhausted, state.tabs[0].whoCan?.error == nil {
      #expect(state.tabs[0].audit == nil)
      let status = View.render(state).lines[height - 1]
      #expect(status.contains("loading every role first: 4 of"), "\(status)")
      let cursor = PageCursor.token("p2")
      #expect(listing.inFlight == .some(cursor))
      Fixtures.send(
        &state,
        .pageLoaded(
          tab: 0, generation: listing.generation, cursor: cursor,
          page: pages(
            FetchRequest(
              tab: 0, source: .twilioRoles, generation: listing.generation, query: listing.query,
              cursor: cursor))!),
        pages: pages)
    }
    return state
  }

  @Test func answersOverEveryPageWithCoverageThenOverridden() {
    let state = Self.typed("/twilio/iam/users/*")
    let tab = state.tabs[0]
    #expect(tab.listing?.exhausted == true)
    let shown = (0..<tab.rowCount).map { row in
      "\(tab.record(at: row)?.name ?? "?"):\(tab.auditRow(at: row)?.coverage.rawValue ?? "?")"
    }
    #expect(
      shown == [
        "Everything:all", "Users Manager:all", "IAM Admin:some", "Organization Owner:some",
        "Support Agent:some", "Locked Auditor:none",
      ])
    #expect(
      tab.audit?.summary
        == "2 roles grant all of it, 3 some, 1 is denied by its own deny list")
  }

  @Test func typingWaitsForTheDebounceAndAStaleTimerIsIgnored() {
    var state = Fixtures.loaded([Fixtures.roles]) { Self.pages($0) }
    _ = App.update(&state, .key(.character("p")))
    let first = App.update(&state, .key(.character("*")))
    _ = App.update(&state, .key(.character("d")))
    guard case .debounce(let tab, let token, _)? = first.first else {
      Issue.record("no debounce")
      return
    }
    #expect(App.update(&state, .debounceFired(tab: tab, token: token)).isEmpty)
    #expect(state.tabs[0].audit == nil)
    #expect(state.tabs[0].whoCan?.text == "*d")
  }

  @Test func aMalformedQuerySaysWhyAndChangesNothing() {
    let state = Self.typed("/twilio/ iam")
    #expect(state.tabs[0].audit == nil)
    #expect(state.tabs[0].whoCan?.error?.contains("a space") == true)
    let status = View.render(state).lines[23]
    #expect(status.contains("a space"), "\(status)")
  }

  @Test func escapeClearsTheAnswer() {
    var state = Self.typed("*delete*")
    #expect(state.tabs[0].audit != nil)
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.escape))
    #expect(state.tabs[0].whoCan == nil)
    #expect(state.tabs[0].rowCount == Fixtures.auditRoles.count)
  }

  @Test func pOnAnotherSourceSaysWhereItWorks() {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in nil }
    _ = App.update(&state, .key(.character("p")))
    #expect(state.focus == .list)
    #expect(state.status?.text.contains("roles tab") == true)
  }

  @Test func detailPaneFindsPolicyLinesWithNAndShiftN() throws {
    var state = Self.typed("/twilio/iam/users/delete", width: 80, height: 14)
    _ = App.update(&state, .key(.enter))  // keep the query
    _ = App.update(&state, .key(.down))
    _ = App.update(&state, .key(.down))
    #expect(state.tabs[0].selected?.name == "IAM Admin")
    _ = App.update(&state, .key(.enter))  // focus the detail
    #expect(state.focus == .detail)
    _ = App.update(&state, .key(.character("/")))
    for character in "DELETE" { _ = App.update(&state, .key(.character(character))) }
    let matches = App.detailMatches(state)
    #expect(matches.count >= 3)
    func shows(_ row: Int) -> Bool {
      let top = state.tabs[0].detailScroll
      return top <= row && row < top + Layout(state).detailRows
    }
    #expect(shows(matches[0]))
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .detail)
    _ = App.update(&state, .key(.character("n")))
    #expect(shows(matches[1]))
    _ = App.update(&state, .key(.character("N")))
    #expect(shows(matches[0]))
    let label = View.render(state).lines.first { $0.contains("lines ") } ?? ""
    #expect(label.contains("lines 1"), "\(label)")
  }
}
