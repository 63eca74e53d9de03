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

/// What a "who can" answer says and exports (issue 19, item 3), and how it is computed: as
/// a command whose result comes back as a message (item 9).
@Suite struct WhoCanAnswerTests {
  @Test func theTabSaysHowManyCanAndHowManyAreDeniedNotTheNarrowedCount() {
    var state = WhoCanTests.typed("/twilio/iam/users/*")
    _ = App.update(&state, .key(.enter))
    let tabBar = View.render(state).lines[0]
    #expect(tabBar.contains("5 can · 1 denied"), "\(tabBar)")
    #expect(!tabBar.contains("▾6"), "\(tabBar)")
  }

  func exported(_ key: Character, query: String = "/twilio/iam/users/*") throws -> ExportRequest {
    var state = WhoCanTests.typed(query)
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.character("e")))
    #expect(state.focus == .exportPrompt)
    let commands = App.update(&state, .key(.character(key)))
    let request = commands.compactMap { command -> ExportRequest? in
      if case .export(let request) = command { request } else { nil }
    }.first
    return try #require(request, "e \(key) asks for an export: \(commands)")
  }

  @Test(arguments: ["c", "C"] as [Character])
  func theCSVExportOfAnAnswerHasKindAndCoverageAndMarksTheDenied(_ key: Character) throws {
    let text = Effects.exportText(try exported(key))
    let rows = text.split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",")
    }
    #expect(
      rows == [
        "kind,sid,friendly_name,coverage",
        "granted,IX00000000000000000000000000000007,Everything,all",
        "granted,IX00000000000000000000000000000003,Users Manager,all",
        "granted,IX00000000000000000000000000000002,IAM Admin,some",
        "granted,IX00000000000000000000000000000001,Organization Owner,some",
        "granted,IX00000000000000000000000000000005,Support Agent,some",
        "overridden,IX00000000000000000000000000000006,Locked Auditor,none",
      ], "\(text)")
    // Row for row what `orgscope roles grants QUERY --format csv` writes.
    let roles = Fixtures.auditRoles.compactMap(TwilioRolesProvider().policy(of:))
    let cli = AuditReport.csv(RoleAudit.grants(Glob("/twilio/iam/users/*"), in: roles))
    #expect(text == cli)
  }

  @Test(arguments: ["j", "J"] as [Character])
  func theJSONExportOfAnAnswerHasKindAndCoverageOnEveryRow(_ key: Character) throws {
    let text = Effects.exportText(try exported(key))
    let value = try JSONParser.parse(text)
    guard case .array(let rows) = value else {
      Issue.record("an array of rows: \(text)")
      return
    }
    #expect(rows.count == 6)
    func field(_ row: JSONValue, _ key: String) -> String? {
      guard case .object(let object) = row, case .string(let text)? = object[key] else {
        return nil
      }
      return text
    }
    let kinds = rows.map { "\(field($0, "kind") ?? "?"):\(field($0, "coverage") ?? "?")" }
    #expect(
      kinds == [
        "granted:all", "granted:all", "granted:some", "granted:some", "granted:some",
        "overridden:none",
      ])
    #expect(field(rows[5], "friendly_name") == "Locked Auditor")
    #expect(rows.allSatisfy { field($0, "query") == "/twilio/iam/users/*" })
  }

  @Test func withoutAnAnswerTheExportIsTheRecordsAsBefore() throws {
    var state = Fixtures.loaded([Fixtures.roles]) { WhoCanTests.pages($0) }
    _ = App.update(&state, .key(.character("e")))
    let commands = App.update(&state, .key(.character("c")))
    guard case .export(let request)? = commands.first else {
      Issue.record("an export: \(commands)")
      return
    }
    #expect(request.audit == nil)
    #expect(Effects.exportText(request).hasPrefix("sid,friendly_name"))
  }

  /// Every role loaded, the query typed and its debounce fired: what `update` returns.
  func queried(_ text: String, _ state: inout AppState) -> [Command] {
    _ = App.update(&state, .key(.character("p")))
    var last: [Command] = []
    for character in text { last = App.update(&state, .key(.character(character))) }
    guard case .debounce(let tab, let token, _)? = last.first else { return [] }
    return App.update(&state, .debounceFired(tab: tab, token: token))
  }

  static func everyRole() -> AppState {
    Fixtures.loaded([Fixtures.roles]) { WhoCanTests.pages($0) }
  }

  static func jobs(_ commands: [Command]) -> [WhoCanJob] {
    commands.compactMap { if case .whoCan(let job) = $0 { job } else { nil } }
  }

  @Test func theQueryIsACommandAndKeysStillMoveWhileItIsComputed() throws {
    var state = Self.everyRole()
    #expect(state.tabs[0].listing?.exhausted == true)
    let job = try #require(Self.jobs(queried("/twilio/iam/users/*", &state)).first)
    #expect(job.query == "/twilio/iam/users/*")
    #expect(state.tabs[0].audit == nil)
    let status = View.render(state).lines[23]
    #expect(status.contains("answering over 7 roles"), "\(status)")
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.down))
    #expect(state.tabs[0].cursor == 1)
    _ = App.update(&state, .whoCanAnswered(job.run()))
    #expect(state.tabs[0].audit?.rows.count == 6)
    #expect(state.tabs[0].cursor == 0)
  }

  @Test func aStaleAnswerIsDroppedAndTheCurrentQueryIsAskedNext() throws {
    var state = Self.everyRole()
    let first = try #require(Self.jobs(queried("/twilio/iam/users/*", &state)).first)
    // Typed on while the first is computed: no second job until the first is back.
    _ = App.update(&state, .key(.ctrl("u")))
    var last: [Command] = []
    for character in "*delete*" { last = App.update(&state, .key(.character(character))) }
    guard case .debounce(let tab, let token, _)? = last.first else {
      Issue.record("a debounce: \(last)")
      return
    }
    #expect(Self.jobs(App.update(&state, .debounceFired(tab: tab, token: token))).isEmpty)
    let next = try #require(
      Self.jobs(App.update(&state, .whoCanAnswered(first.run()))).first,
      "the stale answer asks for the current query")
    #expect(state.tabs[0].audit == nil)
    #expect(next.query == "*delete*")
    _ = App.update(&state, .whoCanAnswered(next.run()))
    #expect(state.tabs[0].audit?.query == "*delete*")
    // The same answer again (a late duplicate) changes nothing.
    let rows = state.tabs[0].audit?.rows
    _ = App.update(&state, .whoCanAnswered(first.run()))
    #expect(state.tabs[0].audit?.rows == rows)
  }

  @Test func anAnswerForAClearedQueryIsDropped() throws {
    var state = Self.everyRole()
    let job = try #require(Self.jobs(queried("/twilio/iam/users/*", &state)).first)
    _ = App.update(&state, .key(.escape))
    #expect(state.tabs[0].whoCan == nil)
    _ = App.update(&state, .whoCanAnswered(job.run()))
    #expect(state.tabs[0].whoCan == nil)
    #expect(state.tabs[0].rowCount == Fixtures.auditRoles.count)
    // Asked again: a fresh job, whose answer is taken.
    let again = try #require(Self.jobs(queried("/twilio/iam/users/*", &state)).first)
    _ = App.update(&state, .whoCanAnswered(job.run()))
    #expect(state.tabs[0].audit == nil)
    _ = App.update(&state, .whoCanAnswered(again.run()))
    #expect(state.tabs[0].audit?.rows.count == 6)
  }

  @Test func theIndexComesBackWithTheAnswerAndTravelsWithTheNextJob() throws {
    var state = Self.everyRole()
    let first = try #require(Self.jobs(queried("/twilio/iam/users/*", &state)).first)
    #expect(!first.reusesIndex)
    _ = App.update(&state, .whoCanAnswered(first.run()))
    _ = App.update(&state, .key(.ctrl("u")))
    var last: [Command] = []
    for character in "*delete*" { last = App.update(&state, .key(.character(character))) }
    guard case .debounce(let tab, let token, _)? = last.first else { return }
    let second = try #require(
      Self.jobs(App.update(&state, .debounceFired(tab: tab, token: token))).first)
    #expect(second.reusesIndex)
  }
}
