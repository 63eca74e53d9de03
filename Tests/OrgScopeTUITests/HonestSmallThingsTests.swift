import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 23, "honest small things": nothing on the screen claims what did not happen.
@Suite struct HonestSmallThingsTests {
  /// Cloudflare with 1,234 accounts in pages of 50; the server says how many.
  static func pages(_ request: FetchRequest) -> Page? {
    var start = 0
    if case .token(let token)? = request.cursor { start = Int(token) ?? 0 }
    let end = min(start + 50, 1234)
    guard start < end else { return nil }
    return Fixtures.page(start..<end, next: end < 1234 ? "\(end)" : nil, total: 1234)
  }

  static var sixTabs: [SourceSetup] {
    GoldenScreenTests.allSources + [.missing(source: .twilioUsers, hint: "TWILIO_CLIENT_ID")]
  }

  /// Every page loaded, the cursor on the last record, then `r`: 500 rows back, a page on
  /// its way.
  static func reloading(width: Int = 80, height: Int = 24) -> AppState {
    var state = Fixtures.loaded([Fixtures.cloudflare], width: width, height: height) {
      pages($0)
    }
    Fixtures.send(&state, .key(.character("G")), pages: pages)
    let reload = App.update(&state, .key(.character("r")))
    Fixtures.answer(&state, reload, limit: 10, pages: pages)
    return state
  }

  @Test func reloadDeepInAListShowsHowManyRowsAreBackAndHowToStop() throws {
    let state = Self.reloading()
    #expect(state.tabs[0].listing?.records.count == 500)
    let line = View.render(state).lines[23]
    #expect(line.hasPrefix("reloading 500 of ≈1,234… any key stops"), "\(line)")
    try GoldenScreenTests().check(state, "reload-progress-80x24")
    try GoldenScreenTests().check(Self.reloading(width: 60, height: 20), "reload-progress-60x20")
  }

  /// `r`, `G`, `k` said "stopped: 500 rows loaded", and loading went on to the end, moving
  /// the cursor.
  @Test func anyKeyStopsAReloadAndStoppedMeansStopped() throws {
    var state = Self.reloading()
    let onItsWay = try #require(
      Fixtures.arrival(state, tab: 0, pages: Self.pages), "a page is on its way")
    let stop = App.update(&state, .key(.character("G")))
    #expect(stop.fetches.isEmpty)
    #expect(state.status?.text == "stopped: 500 rows loaded")
    // The page that was on its way arrives: it is not kept, and nothing more is asked for.
    let late = App.update(&state, onItsWay)
    #expect(late.fetches.isEmpty)
    let cursor = state.tabs[0].cursor
    #expect(App.update(&state, .key(.character("k"))).fetches.isEmpty)
    #expect(state.tabs[0].listing?.records.count == 500)
    #expect(state.tabs[0].cursor == max(0, cursor - 1))
    #expect(state.tabs[0].pendingSelection == nil)
    #expect(!View.render(state).lines[23].contains("any key stops"))
  }

  /// A name carrying an escape sequence shows it, dim, instead of hiding it.
  @Test func hostileNamesShowTheirControlCharactersAsDimPictures() throws {
    let names = [
      "clear\u{1B}[2J\u{1B}[Hscreen", "evil\u{202E}txt.exe", "\u{9B}31mred\u{7}",
      "\u{1B}]0;owned\u{07}title",
    ]
    func state(width: Int, height: Int, unicode: Bool = true) -> AppState {
      var state = Fixtures.loaded([Fixtures.cloudflare], width: width, height: height) { request in
        request.cursor == nil
          ? Page(
            records: names.enumerated().map { Fixtures.account($0.offset, name: $0.element) },
            next: nil) : nil
      }
      state.unicode = unicode
      return state
    }
    let wide = state(width: 80, height: 24)
    let buffer = View.render(wide)
    let row = try #require(buffer.lines.firstIndex { $0.contains("clear␛[2J␛[Hscreen") })
    let x = try #require(buffer.lines[row].firstIndex(of: "␛")).utf16Offset(in: buffer.lines[row])
    #expect(buffer[x, row].style.dim)
    #expect(!buffer[x - 1, row].style.dim)
    #expect(buffer.lines.contains { $0.contains("evil\\u{202E}txt.exe") })
    #expect(buffer.lines.contains { $0.contains("\\x9b31mred␇") })
    try GoldenScreenTests().check(wide, "hostile-names-80x24")
    try GoldenScreenTests().check(state(width: 60, height: 20), "hostile-names-60x20")
    let ascii = View.render(state(width: 80, height: 24, unicode: false)).lines
    #expect(ascii.contains { $0.contains("clear\\x1b[2J\\x1b[Hscreen") }, "\(ascii)")
    for line in ascii {
      #expect(line.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
    }
  }

  /// `--ascii`: a key cut in the detail pane ends with `~`, as the list's cut names do.
  @Test func asciiDetailKeysAreCutWithATilde() throws {
    var state = SinceTests().state(width: 60, height: 20)
    state.unicode = false
    for _ in 0..<5 { _ = App.update(&state, .key(.down)) }
    let lines = View.render(state).lines
    #expect(!lines.contains { $0.contains("\\u{2026}") }, "\(lines)")
    #expect(lines.contains { $0.contains("settings.enforce_twofa~  was false") }, "\(lines)")
  }

  /// At 80 columns while a tab loads, the other tabs keep names that tell them apart.
  @Test func theTabBarKeepsTheOtherTabsNamesWhileLoading() throws {
    func state(width: Int, height: Int) -> AppState {
      var state = Fixtures.loaded(Self.sixTabs, width: width, height: height) { _ in nil }
      Fixtures.answer(&state, App.update(&state, .key(.character("3"))), pages: Self.pages)
      let loaded = state.tabs[2].listing?.pagesLoaded ?? 0
      Fixtures.answer(
        &state, App.update(&state, .key(.character("G"))), limit: 20 - loaded, pages: Self.pages)
      return state
    }
    let wide = state(width: 80, height: 24)
    #expect(wide.tabs[2].listing?.records.count == 1000)
    let bar = View.render(wide).lines[0]
    for name in [
      "1 accts", "2 roles", "3 Cloudflare 1,000/≈1,234", "4 SendGrid", "5 Huawei", "6 users",
    ] {
      #expect(bar.contains(name), "\(bar)")
    }
    try GoldenScreenTests().check(wide, "tabs-loading-80x24")
    try GoldenScreenTests().check(state(width: 60, height: 20), "tabs-loading-60x20")
  }

  /// While a "who can" answer is shown, the status line still says where the cursor is.
  @Test func theStatusLineKeepsThePositionWithAWhoCanAnswer() throws {
    for (width, height) in [(80, 24), (60, 20)] {
      var state = WhoCanTests.typed("/twilio/iam/users/*")
      _ = App.update(&state, .key(.enter))
      _ = App.update(&state, .resize(width: width, height: height))
      _ = App.update(&state, .key(.down))
      let line = View.render(state).lines[height - 1]
      #expect(line.hasSuffix("2 of 6 "), "\(line)")
      #expect(line.contains("roles grant all"), "\(line)")
      try GoldenScreenTests().check(state, "roles-whocan-position-\(width)x\(height)")
    }
  }

  /// `--since`: until the tab is loaded, the status line says the removed are not counted yet.
  @Test func theRemovedCountSaysWhenItWillBeCounted() throws {
    var state = AppState(sources: [Fixtures.cloudflare], theme: .fallback)
    state.tabs[0].since = SinceTests.baseline
    state.title = "changes since 2026-12-02 11:40 UTC (c: changes only)"
    Fixtures.answer(&state, App.start(&state), pages: Self.pages)
    #expect(state.tabs[0].listing?.records.count == 100)
    let line = View.render(state).lines[23]
    #expect(line.hasPrefix("removed: counted when loaded · changes since"), "\(line)")
    #expect(!View.render(state).lines[0].contains("−"))
  }

  @Test func cDuringASearchSaysWhyNot() {
    var state = SinceTests().state()
    _ = App.update(&state, .key(.character("/")))
    for character in "acme" { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
    Fixtures.send(
      &state, .debounceFired(tab: 1, token: state.tabs[1].debounceToken), pages: SinceTests.pages)
    _ = App.update(&state, .key(.character("c")))
    #expect(
      state.status?.text
        == "c needs every record to tell what was removed: clear the search and filters first")
  }
}

/// Issue 23, Deliver 4: `:` opens a command line, as in k9s.
@Suite struct CommandLineTests {
  static func state(width: Int = 80, height: Int = 24) -> AppState {
    Fixtures.loaded(HonestSmallThingsTests.sixTabs, width: width, height: height) { request in
      GoldenScreenTests.firstPages(request)
    }
  }

  static func typed(_ text: String, into state: inout AppState) -> [Command] {
    var commands = App.update(&state, .key(.character(":")))
    for character in text { commands += App.update(&state, .key(.character(character))) }
    return commands
  }

  @Test func aWordThatNamesOneTabJumpsToIt() {
    for (word, tab) in [
      ("users", 5), ("roles", 1), ("cf", 2), ("cloudflare", 2), ("send", 3), ("3", 2),
      ("twilio-accounts", 0), ("Huawei", 4), ("sg", 3),
    ] {
      var state = Self.state()
      _ = Self.typed(word, into: &state)
      #expect(state.focus == .command)
      _ = App.update(&state, .key(.enter))
      #expect(state.active == tab, ":\(word)")
      #expect(state.focus == .list)
    }
  }

  @Test func qQuits() {
    var state = Self.state()
    _ = Self.typed("q", into: &state)
    #expect(App.update(&state, .key(.enter)).contains(.quit))
    #expect(state.quitting)
  }

  @Test func anUnknownOrAmbiguousWordSaysSoAndStaysToBePutRight() throws {
    var state = Self.state()
    _ = Self.typed("tw", into: &state)
    _ = App.update(&state, .key(.enter))
    #expect(state.focus == .command)
    #expect(state.active == 1)
    #expect(
      state.commandNote?.text
        == ":tw names several tabs: Twilio accounts, Twilio roles, Twilio users")
    try GoldenScreenTests().check(state, "command-ambiguous-80x24")
    var narrow = Self.state(width: 60, height: 20)
    _ = Self.typed("zz", into: &narrow)
    _ = App.update(&narrow, .key(.enter))
    #expect(narrow.commandNote?.text.hasPrefix("unknown command :zz") == true)
    try GoldenScreenTests().check(narrow, "command-unknown-60x20")
    // Typing again clears the note; Esc closes the line.
    _ = App.update(&narrow, .key(.backspace))
    #expect(narrow.commandNote == nil)
    _ = App.update(&narrow, .key(.escape))
    #expect(narrow.focus == .list)
  }

  @Test func tabCompletesTheName() {
    var state = Self.state()
    _ = Self.typed("cf", into: &state)
    _ = App.update(&state, .key(.tab))
    #expect(state.commandField.text == "cloudflare")
    #expect(state.commandNote == nil)
    _ = App.update(&state, .key(.ctrl("u")))
    _ = App.update(&state, .key(.paste("tw")))
    _ = App.update(&state, .key(.tab))
    #expect(state.commandField.text == "twilio-")
    #expect(state.commandNote?.text.contains("several tabs") == true)
    _ = App.update(&state, .key(.ctrl("u")))
    _ = App.update(&state, .key(.paste("qu")))
    _ = App.update(&state, .key(.tab))
    #expect(state.commandField.text == "quit")
  }

  @Test func theColonIsInTheHelp() {
    let lines = Canvas.helpLines(KeyMap(tabCount: 6))
    #expect(lines.contains(.keys(":", "a tab by name (:users, :cf) or :q")))
  }
}
