import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// What an admin hits in the first hour (issue 13): the real end, refresh that keeps the
/// place, messages that fade, honest counts, the raw view, and keys that say what they are.
@Suite struct FirstHourTests {
  /// Cloudflare pages of 50 out of 230, by cursor "p1", "p2", …
  static func pages(_ request: FetchRequest) -> Page? {
    let page: Int
    switch request.cursor {
    case nil: page = 0
    case .token(let token)?: page = Int(token.dropFirst()) ?? 99
    default: return nil
    }
    let start = page * 50
    guard start < 230 else { return nil }
    let end = min(230, start + 50)
    return Fixtures.page(start..<end, next: end < 230 ? "p\(page + 1)" : nil, total: 230)
  }

  static func firstPageOnly(_ request: FetchRequest) -> Page? {
    request.cursor == nil ? pages(request) : nil
  }

  /// A state whose second page was asked for and is not answered yet.
  static func started() -> AppState {
    Fixtures.loaded([Fixtures.cloudflare], pages: firstPageOnly)
  }

  /// Answers the page the listing waits for, and every page asked for after it.
  static func answerPending(_ state: inout AppState) {
    guard let arrival = Fixtures.arrival(state, tab: 0, pages: pages) else { return }
    Fixtures.send(&state, arrival, pages: pages)
  }

  @Test func bigGLoadsEveryPageAndLandsOnTheLastRecord() {
    var state = Self.started()
    _ = App.update(&state, .key(.character("G")))
    #expect(state.tabs[0].loadingToEnd == .last)
    let status = View.render(state).lines[23]
    #expect(status.contains("loading 50 of ≈230") && status.contains("any key stops"), "\(status)")
    Self.answerPending(&state)
    #expect(state.tabs[0].listing?.exhausted == true)
    #expect(state.tabs[0].loadingToEnd == nil)
    #expect(state.tabs[0].cursor == 229)
    #expect(state.tabs[0].selected?.name.hasSuffix(" 229") == true)
    #expect(View.render(state).lines[23].contains("230 of 230"))
  }

  @Test func anyKeyStopsLoadingToTheEnd() {
    var state = Self.started()
    _ = App.update(&state, .key(.end))
    _ = App.update(&state, .key(.character("x")))
    #expect(state.tabs[0].loadingToEnd == nil)
    #expect(state.status?.text == "stopped: 50 rows loaded")
    #expect(state.tabs[0].cursor == 49)
  }

  @Test func exportAllRowsLoadsTheRestFirst() throws {
    var state = Self.started()
    _ = App.update(&state, .key(.character("e")))
    #expect(View.render(state).lines[23].contains("all rows of ≈230"))
    _ = App.update(&state, .key(.character("C")))
    let arrival = try #require(
      Fixtures.arrival(state, tab: 0, pages: Self.pages), "the rest is being loaded")
    var commands = App.update(&state, arrival)
    var exported: ExportRequest?
    while exported == nil, let command = commands.first {
      commands.removeFirst()
      switch command {
      case .export(let request): exported = request
      case .fetch(let next):
        commands += App.update(
          &state,
          .pageLoaded(
            tab: 0, generation: next.generation, cursor: next.cursor, page: Self.pages(next)!))
      default: break
      }
    }
    #expect(exported?.records.count == 230)
    #expect(exported?.format == .csv)
  }

  @Test func reloadKeepsTheSelectedRecordAndItsRow() {
    var state = Fixtures.loaded([Fixtures.cloudflare], pages: Self.pages)
    for _ in 0..<12 { _ = App.update(&state, .key(.down)) }
    let id = state.tabs[0].selected?.id
    let row = state.tabs[0].cursor - state.tabs[0].top
    Fixtures.send(&state, .key(.character("r")), pages: Self.pages)
    #expect(state.tabs[0].selected?.id == id)
    #expect(state.tabs[0].cursor - state.tabs[0].top == row)
    #expect(state.tabs[0].pendingSelection == nil)
  }

  @Test func bigRReloadsEveryTabAndSaysSo() {
    var state = Fixtures.loaded(
      [Fixtures.cloudflare, Fixtures.sendgrid, Fixtures.huaweiMissing], pages: Self.pages)
    let fetches = App.update(&state, .key(.character("R"))).fetches
    #expect(Set(fetches.map(\.tab)) == [0, 1])
    #expect(state.status?.text == "reloading all 2 sources")
  }

  @Test func statusMessagesFadeUnlessANewerOneCame() {
    var state = Self.started()
    let commands = App.update(&state, .key(.character("%")))
    #expect(state.status?.text == "unknown key % — ? for help")
    guard case .expireStatus(let token, _)? = commands.last else {
      Issue.record("a new message comes with its timer: \(commands)")
      return
    }
    _ = App.update(&state, .key(.character("r")))
    _ = App.update(&state, .statusExpired(token: token))
    #expect(state.status?.text.hasPrefix("reloading") == true)
    _ = App.update(&state, .statusExpired(token: state.statusToken))
    #expect(state.status == nil)
  }

  @Test func rawViewShowsTheRecordAndYCopiesItAsJSON() throws {
    var state = Self.started()
    _ = App.update(&state, .key(.character("v")))
    #expect(state.focus == .raw)
    let screen = View.render(state).lines.joined(separator: "\n")
    #expect(screen.contains("\"enforce_twofactor\": true"))
    guard case .copy(let json)? = App.update(&state, .key(.character("Y"))).first else {
      Issue.record("Y copies")
      return
    }
    #expect(
      try JSONParser.parse(Array(json.utf8)).object?["id"]?.string == state.tabs[0].selected?.id)
    _ = App.update(&state, .key(.escape))
    #expect(state.focus == .list)
  }

  @Test func countsSayWhatIsLoadedAndWhatIsFiltered() {
    var state = Self.started()
    let bar = View.render(state).lines[0]
    #expect(bar.contains("50 of ≈230"), "\(bar)")
    _ = App.update(&state, .key(.character("/")))
    _ = App.update(&state, .key(.character("a")))
    // The server has not answered the search yet: never "0 matches".
    let status = View.render(state).lines[23]
    #expect(status.contains("searching") && !status.contains("0 matches"), "\(status)")
  }
}

@Suite struct WherePromptTests {
  @Test func wFiltersByFieldsLoadingWhatItNeedsAndEscClears() {
    var state = FirstHourTests.started()
    _ = App.update(&state, .key(.character("w")))
    #expect(state.focus == .wherePrompt)
    for character in "settings.enforce_twofactor=true" {
      _ = App.update(&state, .key(.character(character)))
    }
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .list)
    // Every other account of the first page, and the next page is on its way.
    #expect(state.tabs[0].rowCount == 25)
    #expect(state.tabs[0].selected?.fields[path: "settings", "enforce_twofactor"]?.bool == true)
    #expect(View.render(state).lines[23].contains("25 matches so far"))
    #expect(View.render(state).lines[0].contains("▾"))
    FirstHourTests.answerPending(&state)
    #expect(state.tabs[0].rowCount == 115)
    _ = App.update(&state, .key(.escape))
    #expect(state.tabs[0].fieldFilter == nil)
    #expect(state.tabs[0].rowCount == 230)
  }

  @Test func aBadExpressionSaysWhichPart() {
    var state = FirstHourTests.started()
    _ = App.update(&state, .key(.character("w")))
    for character in "type=standard statusx" { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .wherePrompt)
    #expect(state.tabs[0].whereError?.contains("\"statusx\"") == true)
    #expect(state.tabs[0].fieldFilter == nil)
  }

  static func type(_ text: String, _ state: inout AppState) {
    _ = App.update(&state, .key(.character("w")))
    for character in text { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
  }

  @Test func aFieldNoRecordHasIsAnErrorThatKeepsTheTextForEditing() {
    var state = Fixtures.loaded([Fixtures.cloudflare], pages: FirstHourTests.pages)
    Fixtures.send(&state, .key(.character("G")), pages: FirstHourTests.pages)
    #expect(state.tabs[0].listing?.exhausted == true)
    Self.type("tpye=standard", &state)
    #expect(state.focus == .wherePrompt)
    #expect(state.tabs[0].whereText == "tpye=standard")
    #expect(state.tabs[0].fieldFilter == nil)
    #expect(
      state.tabs[0].whereError == #"no record has a field "tpye"; did you mean "type"?"#)
    #expect(View.render(state).lines[23].contains(#"no record has a field "tpye""#))
    // Every record is loaded: Enter again does not filter by a misspelling.
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .wherePrompt && state.tabs[0].fieldFilter == nil)
    // Edited, it applies.
    for _ in 0..<"tpye=standard".count { _ = App.update(&state, .key(.backspace)) }
    for character in "type==standard" { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .list)
    #expect(state.tabs[0].rowCount == 230)
  }

  @Test func beforeTheLastPageAMissingFieldWarnsAndEnterAgainFiltersAnyway() {
    var state = FirstHourTests.started()
    Self.type("region=eu", &state)
    #expect(state.focus == .wherePrompt)
    let error = state.tabs[0].whereError ?? ""
    #expect(error.hasPrefix(#"no loaded record has a field "region""#), "\(error)")
    #expect(error.hasSuffix("(Enter again filters anyway)"))
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .list)
    #expect(state.tabs[0].fieldFilter != nil)
    #expect(state.tabs[0].whereError == nil)
    // Every record loaded and still none has it: the status line says so, not "0 matches".
    FirstHourTests.answerPending(&state)
    #expect(state.tabs[0].listing?.exhausted == true)
    let status = View.render(state).lines[23]
    #expect(status.contains(#"0 matches: no record has a field "region""#), "\(status)")
  }

  @Test func anUnknownOperatorNamesTheAllowedOnes() {
    var state = FirstHourTests.started()
    Self.type("type=~stand", &state)
    #expect(state.focus == .wherePrompt)
    #expect(state.tabs[0].whereError?.contains("use field=value (or ==), field!=value") == true)
  }
}

@Suite struct ColumnLayoutTests {
  @Test func theNameFirstThenStatusesAndIdsAreShortenedInTheMiddle() {
    let columns = TwilioAccountsProvider(organizationSID: "OR1").columns
    for width in [40, 60, 80, 100, 120, 200] {
      let placed = Canvas.columnLayout(columns, width: width)
      let shown = Set(placed.map { columns[$0.index].title })
      // A status is never dropped while an id is shown.
      if shown.contains("SID") { #expect(shown.contains("Status"), "\(width): \(shown)") }
      let name = placed.first { columns[$0.index].flexible }
      #expect((name?.width ?? 0) >= min(16, width / 3), "\(width)")
      for column in placed { #expect(column.x + column.width <= width) }
    }
    var state = Fixtures.loaded([Fixtures.roles], width: 60, height: 20) { request in
      request.cursor == nil ? Page(records: (1...3).map(Fixtures.role), next: nil) : nil
    }
    _ = App.update(&state, .key(.down))
    let row = View.render(state).lines[2]
    #expect(row.contains("IX") && row.contains("…") && row.contains("00001"), "\(row)")
  }
}

@Suite struct NextMatchTests {
  @Test func nAndShiftNMoveBetweenMatchesAndWrap() {
    var state = FirstHourTests.started()
    _ = App.update(&state, .key(.character("n")))
    #expect(state.status?.text.contains("search") == true)
    _ = App.update(&state, .key(.character("w")))
    for character in "settings.enforce_twofactor=true" {
      _ = App.update(&state, .key(.character(character)))
    }
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.character("n")))
    #expect(state.tabs[0].cursor == 1)
    _ = App.update(&state, .key(.character("N")))
    _ = App.update(&state, .key(.character("N")))
    #expect(state.tabs[0].cursor == state.tabs[0].rowCount - 1)
  }
}
