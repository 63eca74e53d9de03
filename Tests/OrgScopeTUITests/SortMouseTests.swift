import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// `s`/`S` (server sort where the API has one, else the loaded rows sorted here) and the
/// mouse (tabs, rows, the detail pane, the wheel).
@Suite struct SortMouseTests {
  /// Cloudflare pages of 50 out of 230; answers a sorted query too (the server's order is
  /// not modelled: only that it was asked for).
  static func pages(_ request: FetchRequest) -> Page? { FirstHourTests.pages(request) }

  /// The loaded rows in the order a brute-force sort gives: by the column's cell (case
  /// folded), empty cells last, equal cells in the order the server sent them.
  static func bruteForce(_ tab: SourceTab, column: Int, descending: Bool, rows: [Int]) -> [Int] {
    guard let listing = tab.listing, let provider = tab.provider else { return [] }
    let keys = listing.records.map { provider.cells(of: $0)[column].lowercased() }
    return rows.sorted { a, b in
      if keys[a].isEmpty != keys[b].isEmpty { return keys[b].isEmpty }
      if keys[a] != keys[b] { return descending ? keys[a] > keys[b] : keys[a] < keys[b] }
      return a < b
    }
  }

  @Test func sOnTheNameColumnAsksTheServer() {
    var state = FirstHourTests.started()
    let commands = App.update(&state, .key(.character("s")))
    #expect(commands.fetches.first?.query.sortByName == .asc)
    #expect(state.tabs[0].sort?.server == true)
    #expect(state.status?.text == "sorted by Name ascending on the server")
    let screen = View.render(state).lines
    #expect(screen[1].contains("Name ↑"), "\(screen[1])")
    _ = App.update(&state, .key(.character("S")))
    #expect(state.tabs[0].query.sortByName == .desc)
  }

  @Test func otherColumnsSortTheLoadedRowsHereAndSaySo() {
    var state = FirstHourTests.started()
    Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.firstPageOnly)
    Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.firstPageOnly)
    let tab = state.tabs[0]
    #expect(tab.query.sortByName == nil)
    #expect(tab.localSort == ListSort(column: 1))
    #expect(tab.rows == Self.bruteForce(tab, column: 1, descending: false, rows: Array(0..<50)))
    #expect(
      state.status?.text
        == "sorted by ID ascending over the 50 loaded rows (here; G loads the rest)"
    )
    #expect(View.render(state).lines[1].contains("ID ↑"))
  }

  /// Every column, both directions, while pages keep arriving: the rows are always the
  /// brute-force order of everything loaded, and the selected record stays selected.
  @Test func pagesArrivingAreMergedInOrderAndTheSelectionStays() {
    for column in 1..<4 {
      for descending in [false, true] {
        var state = FirstHourTests.started()
        for _ in 0...column {
          Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.firstPageOnly)
        }
        if descending {
          Fixtures.send(&state, .key(.character("S")), pages: FirstHourTests.firstPageOnly)
        }
        #expect(state.tabs[0].localSort == ListSort(column: column, descending: descending))
        // The rest, page by page, as scrolling or `G` asks for it.
        _ = App.update(&state, .key(.character("G")))
        while state.tabs[0].listing?.exhausted == false {
          guard let listing = state.tabs[0].listing, case .some(let cursor) = listing.inFlight
          else { break }
          let request = FetchRequest(
            tab: 0, source: .cloudflare, generation: listing.generation, query: listing.query,
            cursor: cursor)
          guard let page = Self.pages(request) else { break }
          _ = App.update(
            &state,
            .pageLoaded(tab: 0, generation: listing.generation, cursor: cursor, page: page))
          let tab = state.tabs[0]
          let count = tab.listing?.records.count ?? 0
          #expect(
            tab.rows
              == Self.bruteForce(
                tab, column: column, descending: descending, rows: Array(0..<count)),
            "column \(column) descending \(descending) after \(count) rows")
        }
        #expect(state.tabs[0].rowCount == 230)
        #expect(state.tabs[0].cursor == 229, "G lands on the last row")
      }
    }
  }

  @Test func theSelectedRecordStaysSelectedWhenRowsArriveAboveIt() {
    var state = FirstHourTests.started()
    for _ in 0..<4 {
      Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.firstPageOnly)
    }
    // Created, descending: later pages hold the same dates, which sort among these rows.
    Fixtures.send(&state, .key(.character("S")), pages: FirstHourTests.firstPageOnly)
    for _ in 0..<5 { _ = App.update(&state, .key(.down)) }
    let selected = state.tabs[0].selected?.id
    FirstHourTests.answerPending(&state)
    #expect(state.tabs[0].listing?.records.count ?? 0 > 50)
    #expect(state.tabs[0].selected?.id == selected)
  }

  @Test func sortCombinesWithAFieldFilterAndCyclesBackToTheServersOrder() {
    var state = FirstHourTests.started()
    _ = App.update(&state, .key(.character("w")))
    for character in "settings.enforce_twofactor=true" {
      _ = App.update(&state, .key(.character(character)))
    }
    Fixtures.send(&state, .key(.enter), pages: FirstHourTests.pages)
    FirstHourTests.answerPending(&state)
    let filtered = state.tabs[0].rows ?? []
    #expect(filtered.count == 115)
    for _ in 0..<4 {
      Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.pages)
    }
    let tab = state.tabs[0]
    #expect(tab.localSort == ListSort(column: 3))
    #expect(
      tab.rows
        == Self.bruteForce(tab, column: 3, descending: false, rows: filtered.sorted()))
    #expect(state.status?.text.hasPrefix("sorted by Created ascending (all 230 rows") == true)
    // Past the last column: the server's order again, still filtered.
    Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.pages)
    #expect(state.tabs[0].sort == nil)
    #expect(state.tabs[0].rows == filtered)
    #expect(state.status?.text == "unsorted: the server's order")
  }

  @Test func aWhoCanAnswerKeepsItsOrder() {
    var state = WhoCanTests.typed("/twilio/*")
    #expect(state.tabs[0].audit != nil)
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.character("s")))
    #expect(state.tabs[0].localSort == nil)
    #expect(state.status?.text.contains("who-can answer keeps its own order") == true)
  }

  // MARK: - Mouse

  @Test func clickingATabShowsIt() {
    var state = Fixtures.loaded(
      GoldenScreenTests.allSources, pages: GoldenScreenTests.firstPages)
    let spans = TabBarLayout(state).spans()
    #expect(spans.count == 5)
    _ = App.update(&state, .mouse(MouseEvent(.press, x: spans[2].x + 1, y: 0)))
    #expect(state.active == 2)
    // The active tab's label grows (its count): where the others are is read again.
    let moved = TabBarLayout(state).spans()
    _ = App.update(&state, .mouse(MouseEvent(.press, x: moved[3].x + moved[3].width - 1, y: 0)))
    #expect(state.active == 3)
  }

  @Test func clickingARowSelectsItAndTheWheelMovesThree() {
    var state = FirstHourTests.started()
    let layout = Layout(state)
    // The list's header is its first row; records start below it.
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 5, y: layout.list.y + 1 + 4)))
    #expect(state.tabs[0].cursor == 4)
    _ = App.update(&state, .mouse(MouseEvent(.wheelDown, x: 5, y: layout.list.y + 2)))
    #expect(state.tabs[0].cursor == 7)
    _ = App.update(&state, .mouse(MouseEvent(.wheelUp, x: 5, y: layout.list.y + 2)))
    #expect(state.tabs[0].cursor == 4)
    // The header and the rows past the end select nothing.
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 5, y: layout.list.y)))
    #expect(state.tabs[0].cursor == 4)
  }

  @Test func clickingTheDetailPaneFocusesItAndTheWheelScrollsIt() {
    var state = FirstHourTests.started()
    let layout = Layout(state)
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 3, y: layout.detail.y + 2)))
    #expect(state.focus == .detail)
    _ = App.update(&state, .mouse(MouseEvent(.wheelDown, x: 3, y: layout.detail.y + 2)))
    #expect(state.tabs[0].detailScroll > 0)
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 3, y: layout.list.y + 2)))
    #expect(state.focus == .list)
    #expect(state.tabs[0].cursor == 1)
  }

  @Test func theMouseLeavesPromptsAloneAndScrollsTheHelp() {
    var state = FirstHourTests.started()
    _ = App.update(&state, .key(.character("/")))
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 5, y: 6)))
    #expect(state.focus == .search)
    _ = App.update(&state, .key(.escape))
    _ = App.update(&state, .key(.character("?")))
    _ = App.update(&state, .mouse(MouseEvent(.wheelDown, x: 5, y: 6)))
    #expect(state.helpScroll == 3)
    _ = App.update(&state, .mouse(MouseEvent(.press, x: 5, y: 6)))
    #expect(state.focus == .list)
  }
}
