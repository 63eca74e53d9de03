import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 21 in the TUI: the users tab, searched locally by user name, e-mail and sid; its
/// detail pane (each user's role assignments by scope), `p` there (who can, by person), and
/// the roles tab's "held by".
@Suite struct UsersTabTests {
  static var users: SourceSetup {
    .ready(Fixtures.client(TwilioUsersProvider(organizationSID: "OR1")))
  }

  /// A SCIM user as the users source reads it.
  static func user(_ sid: String, _ userName: String, _ display: String, active: Bool = true)
    -> Record
  {
    let fields = JSONObject([
      .init(key: "id", value: .string(sid)), .init(key: "userName", value: .string(userName)),
      .init(key: "displayName", value: .string(display)),
      .init(
        key: "emails",
        value: .array([.object(JSONObject(["value": .string(userName)]))])),
      .init(key: "active", value: .bool(active)),
    ])
    return Record(id: sid, name: display, fields: fields, aliases: [userName])
  }

  static let people = [
    user("US01", "ana.silva@example.com", "Ana Silva"),
    user("US02", "ben@corp.example", "Ben Okafor"),
    user("US03", "cleo@example.com", "Cleo Park"),
    user("US04", "dan@example.com", "Dan Ito", active: false),
  ]

  static func sid(_ name: String) -> String {
    Fixtures.auditRoles.first { $0.name == name }!.id
  }

  /// Ana is an Organization Owner everywhere; Ben manages users in Acme Prod, where he is
  /// also a Locked Auditor (whose deny list meets what Users Manager grants: contested);
  /// Cleo is only a Locked Auditor (held back by its own deny list); Dan holds a role that
  /// does not exist.
  static let data = PeopleData(
    directory: PeopleDirectory(
      people: people.map(Person.init(record:)),
      assignments: [
        RoleAssignment(
          sid: "IY1", roleSID: sid("Organization Owner"), scope: "OR1", identity: "US01"),
        RoleAssignment(sid: "IY2", roleSID: sid("Users Manager"), scope: "AC1", identity: "US02"),
        RoleAssignment(sid: "IY3", roleSID: sid("Locked Auditor"), scope: "AC1", identity: "US02"),
        RoleAssignment(sid: "IY4", roleSID: sid("Locked Auditor"), scope: "OR1", identity: "US03"),
        RoleAssignment(sid: "IY5", roleSID: "IXmissing", scope: "AC2", identity: "US04"),
      ]),
    roles: Fixtures.auditRoles.compactMap { TwilioRolesProvider().policy(of: $0) },
    accounts: ["AC1": "Acme Prod"])

  static func pages(_ request: FetchRequest) -> Page? {
    guard request.cursor == nil else { return nil }
    switch request.source {
    case .twilioUsers: return Page(records: people, next: nil, total: people.count)
    case .twilioRoles: return Page(records: Fixtures.auditRoles, next: nil)
    default: return nil
    }
  }

  /// The users tab loaded; its people too unless `people` is nil.
  static func state(
    width: Int = 80, height: Int = 24, people: PeopleData? = data, sources: [SourceSetup]? = nil
  ) -> AppState {
    Fixtures.loaded(
      sources ?? [users], width: width, height: height, people: people, pages: pages)
  }

  /// `p`, the query typed, and its debounce fired.
  static func asked(_ query: String, _ state: inout AppState, people: PeopleData? = data) {
    Fixtures.send(&state, .key(.character("p")), people: people, pages: pages)
    var last: [Command] = []
    for character in query { last = App.update(&state, .key(.character(character))) }
    guard case .debounce(let tab, let token, _)? = last.first else {
      Issue.record("typing asks for a debounce: \(last)")
      return
    }
    Fixtures.send(&state, .debounceFired(tab: tab, token: token), people: people, pages: pages)
  }

  static func screen(_ state: AppState) -> String {
    View.render(state).lines.joined(separator: "\n")
  }

  @Test func theSearchFindsAUserByEmailAsWellAsByNameOrSid() {
    var state = Self.state()
    #expect(state.tabs[0].rowCount == 4)
    _ = App.update(&state, .key(.character("/")))
    for character in "corp.example" { _ = App.update(&state, .key(.character(character))) }
    #expect(state.tabs[0].rowCount == 1)
    #expect(Self.screen(state).contains("Ben Okafor"))
  }

  @Test func showingTheUsersTabLoadsThePeopleOnceWithProgress() {
    var state = AppState(sources: [Self.users], width: 80, height: 24, theme: .fallback)
    let commands = App.start(&state)
    #expect(commands.contains(.loadPeople(number: 1)), "\(commands)")
    #expect(state.people.phase == .loading(done: 0, total: 0))
    _ = App.update(&state, .peopleProgress(number: 1, done: 80, total: 150))
    let status = View.render(state).lines[23]
    #expect(status.contains("assignments 80 of 150 users"), "\(status)")
    // Showing it again does not load again.
    #expect(!App.update(&state, .key(.character("1"))).contains(.loadPeople(number: 2)))
    // The detail pane says what it waits for.
    Fixtures.answer(&state, [], pages: Self.pages)
    Fixtures.send(&state, .key(.character("1")), pages: Self.pages)
    #expect(Self.screen(state).contains("assignments 80 of 150 users"))
  }

  @Test func whoCanByPersonWaitsForTheAssignmentsThenAnswersWithACanColumn() throws {
    var state = Self.state(people: nil)
    #expect(state.people.data == nil)
    Self.asked("/twilio/iam/users/*", &state, people: nil)
    // No answer before the assignments are in; the status line says how far they are.
    #expect(state.tabs[0].audit == nil)
    _ = App.update(&state, .peopleProgress(number: 1, done: 2, total: 4))
    #expect(View.render(state).lines[23].contains("assignments 2 of 4 users"))
    // They arrive: the query is answered at once (the job is computed off the UI thread).
    let commands = App.update(&state, .peopleLoaded(number: 1, Self.data))
    let job = try #require(
      commands.lazy.compactMap { if case .whoCan(let job) = $0 { job } else { nil } }.first)
    _ = App.update(&state, .whoCanAnswered(job.run()))
    let tab = state.tabs[0]
    let shown = (0..<tab.rowCount).map { row in
      "\(tab.record(at: row)?.name ?? "?"):\(tab.auditRow(at: row)?.canCell(byPerson: true) ?? "?")"
    }
    #expect(shown == ["Ben Okafor:all!", "Ana Silva:some", "Cleo Park:held"])
    let screen = Self.screen(state)
    #expect(screen.contains("Can"), "\(screen)")
    #expect(
      View.render(state).lines[23].contains("1 can do all of it, 1 some, 1 held back"),
      "\(View.render(state).lines[23])")
    _ = App.update(&state, .key(.enter))
    let status = View.render(state).lines[23]
    #expect(
      status.hasPrefix("1 can do all of it, 1 some, 1 held back, 1 contested (!) · 1 assignment"),
      "\(status)")
    // Cleo, held back, is dimmed.
    let buffer = View.render(state)
    let row = try #require(buffer.lines.firstIndex { $0.contains("Cleo Park") })
    #expect(buffer[3, row].style == state.theme[.dim])
    // Esc clears it.
    _ = App.update(&state, .key(.escape))
    _ = App.update(&state, .key(.escape))
    #expect(state.tabs[0].whoCan == nil)
    #expect(state.tabs[0].rowCount == 4)
  }

  @Test func escStopsTheLoadAndPLoadsAgain() {
    var state = Self.state(people: nil)
    _ = App.update(&state, .key(.character("p")))
    let stop = App.update(&state, .key(.escape))
    #expect(stop.contains(.stopPeople(number: 1)), "\(stop)")
    #expect(state.people.phase == .stopped)
    // What the stopped load still sends is dropped.
    _ = App.update(&state, .peopleLoaded(number: 1, Self.data))
    #expect(state.people.data == nil)
    let again = App.update(&state, .key(.character("p")))
    #expect(again.contains(.loadPeople(number: 2)), "\(again)")
  }

  @Test func rLoadsTheAssignmentsAgain() {
    var state = Self.state()
    #expect(state.people.phase == .loaded)
    let commands = App.update(&state, .key(.character("r")))
    #expect(commands.contains(.loadPeople(number: 2)), "\(commands)")
    #expect(!commands.contains(.stopPeople(number: 1)))
    // What was loaded is not used meanwhile: a "who can" waits for the new assignments.
    #expect(state.people.data == nil)
    // Again while that load is under way: it is stopped, and a new one started.
    let again = App.update(&state, .key(.character("r")))
    #expect(again.contains(.stopPeople(number: 2)) && again.contains(.loadPeople(number: 3)))
  }

  @Test func withoutALoaderTheUsersTabSaysWhatWhoCanByPersonNeeds() {
    var state = Self.state(people: nil)
    Self.asked("/twilio/*", &state, people: nil)
    // The runtime without a loader answers every load so.
    _ = App.update(
      &state, .peopleFailed(number: state.people.number, error: PeopleState.unavailable))
    let status = View.render(state).lines[23]
    #expect(status.contains("needs a live session or a snapshot"), "\(status)")
  }

  @Test func theDetailPaneGroupsAssignmentsByScopeWithEachRolesCoverage() {
    var state = Self.state()
    _ = App.update(&state, .key(.down))
    let plain = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0], state: state)
    #expect(plain.map(\.title) == ["User", "In Acme Prod (AC1)"])
    #expect(plain[1].lines.map(\.key) == ["Locked Auditor", "Users Manager"])
    Self.asked("/twilio/iam/users/*", &state)
    // Ben is first in the answer.
    let sections = DetailLayout.sections(
      for: state.tabs[0].selected!, in: state.tabs[0], state: state)
    #expect(sections.first?.title == "Who can /twilio/iam/users/*: all of it")
    let contested = sections.first?.lines.first { $0.key == "contested" }?.value ?? ""
    #expect(contested.hasPrefix("Locked Auditor in Acme Prod denies /Twilio/IAM/*"), "\(contested)")
    let roles = sections.last?.lines.map { "\($0.key): \($0.value)" }
    #expect(
      roles == ["Locked Auditor: held back by its own deny list", "Users Manager: all of it"])
  }

  @Test func aRoleThatDoesNotExistAndNoAssignmentAreSaidSo() {
    var state = Self.state()
    for _ in 0..<3 { _ = App.update(&state, .key(.down)) }
    let dan = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0], state: state)
    #expect(dan.last?.lines.first?.value == "not in the roles list: grants nothing")
    var lonely = Self.data
    lonely.directory.assignments.removeAll { $0.identity == "US01" }
    let ana = Self.state(people: lonely)
    let sections = DetailLayout.sections(
      for: ana.tabs[0].selected!, in: ana.tabs[0], state: ana)
    #expect(sections.last?.lines.first?.value == "no role assignment")
  }

  @Test func theRolesTabSaysWhoHoldsTheRole() {
    var state = Self.state(sources: [Fixtures.roles, Self.users])
    // The people load with the users tab.
    Fixtures.send(&state, .key(.character("2")), people: Self.data, pages: Self.pages)
    Fixtures.send(&state, .key(.character("1")), pages: Self.pages)
    let row = (0..<state.tabs[0].rowCount).first {
      state.tabs[0].record(at: $0)?.name == "Locked Auditor"
    }!
    _ = App.update(&state, .key(.down))
    state.tabs[0].cursor = row
    let sections = DetailLayout.sections(
      for: state.tabs[0].selected!, in: state.tabs[0], state: state)
    #expect(
      sections[1].lines.first?.value == "held by 2 users: 1 organization-wide, 1 in accounts")
  }

  @Test func theExportOfAnAnswerByPersonHoldsTheCoverage() throws {
    var state = Self.state()
    Self.asked("/twilio/iam/users/*", &state)
    _ = App.update(&state, .key(.enter))
    _ = App.update(&state, .key(.character("e")))
    let commands = App.update(&state, .key(.character("c")))
    let request = try #require(
      commands.lazy.compactMap { if case .export(let request) = $0 { request } else { nil } }
        .first)
    let csv = Effects.exportText(request)
    #expect(csv.hasPrefix(PeopleReport.csv(try #require(request.people))))
    #expect(csv.split(separator: "\r\n").first?.contains("coverage") == true, "\(csv)")
  }
}

/// The users tab's screens: the list with a user's assignments, who can by person, and
/// the detail pane, at 80×24 and 60×20.
@Suite struct UsersTabGoldenTests {
  static let sizes = [(80, 24), (60, 20)]

  @Test func theUsersTabWithAUsersAssignments() throws {
    for (width, height) in Self.sizes {
      var state = UsersTabTests.state(width: width, height: height)
      _ = App.update(&state, .key(.down))
      try GoldenScreenTests().check(state, "users-\(width)x\(height)")
    }
  }

  @Test func whoCanByPerson() throws {
    for (width, height) in Self.sizes {
      var state = UsersTabTests.state(width: width, height: height)
      UsersTabTests.asked("/twilio/iam/users/*", &state)
      _ = App.update(&state, .key(.enter))
      try GoldenScreenTests().check(state, "users-whocan-\(width)x\(height)")
    }
  }

  @Test func theDetailPaneOfAContestedUser() throws {
    for (width, height) in Self.sizes {
      var state = UsersTabTests.state(width: width, height: height)
      UsersTabTests.asked("/twilio/iam/users/*", &state)
      _ = App.update(&state, .key(.enter))
      _ = App.update(&state, .key(.enter))
      #expect(state.focus == .detail)
      // Its assignments, each role's coverage of the query.
      _ = App.update(&state, .key(.end))
      try GoldenScreenTests().check(state, "users-detail-\(width)x\(height)")
    }
  }
}
