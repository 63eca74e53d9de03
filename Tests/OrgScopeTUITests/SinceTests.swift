import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// `--since FILE`: marks of what changed since a snapshot, the changed fields in the detail
/// pane, the removed count, and `c` (changes only, removed records included).
@Suite struct SinceTests {
  /// The live Cloudflare listing: accounts 0–19, account 3 renamed, account 5 with
  /// two-factor enforcement changed; 18 and 19 are new.
  static func live(_ number: Int) -> Record {
    switch number {
    case 3: return Fixtures.account(3, name: "Umbrella Renamed 3")
    case 5:
      let old = Fixtures.account(5)
      var fields = old.fields
      fields["settings"] = .object(JSONObject(["enforce_twofactor": .bool(true)]))
      fields["type"] = .string("enterprise")
      return Record(id: old.id, name: old.name, fields: fields)
    default: return Fixtures.account(number)
    }
  }

  /// The snapshot: accounts 0–17 as they were, and 40 and 41, since removed.
  static var baseline: Baseline {
    Baseline(
      takenAt: "2026-12-02 11:40 UTC",
      records: [
        .cloudflare: (0..<18).map { Fixtures.account($0) } + [40, 41].map { Fixtures.account($0) },
        .twilioRoles: (1...4).map(Fixtures.role),
      ])
  }

  static func pages(_ request: FetchRequest) -> Page? {
    guard request.cursor == nil else { return nil }
    switch request.source {
    case .cloudflare: return Page(records: (0..<20).map(live), next: nil)
    default:
      // Role 2 widened.
      var roles = (1...4).map(Fixtures.role)
      var fields = roles[1].fields
      fields["policy"] = .object(
        JSONObject([
          "allow": .array([.string("/twilio/billing/invoices/read"), .string("/twilio/iam/*")]),
          "deny": .array([]),
        ]))
      roles[1] = Record(id: roles[1].id, name: roles[1].name, fields: fields)
      return Page(records: roles, next: nil)
    }
  }

  func state(width: Int = 80, height: Int = 24, since: Baseline? = Self.baseline) -> AppState {
    var state = AppState(
      sources: [Fixtures.roles, Fixtures.cloudflare], width: width, height: height,
      theme: .fallback)
    for index in state.tabs.indices { state.tabs[index].since = since }
    state.title = since.map { "changes since \($0.takenAt) (c: changes only)" }
    Fixtures.answer(&state, App.start(&state), pages: Self.pages)
    Fixtures.send(&state, .key(.character("2")), pages: Self.pages)
    return state
  }

  @Test func marksAddedAndChangedRecordsAndCountsTheRemoved() throws {
    let state = state()
    let lines = View.render(state).lines
    let row = { (name: String) in lines.first { $0.contains(name) } ?? "" }
    #expect(row("Umbrella Renamed 3").hasPrefix("~"))
    #expect(row("Stark Industries 5").hasPrefix("~"))
    #expect(row("Acme Corp 0").hasPrefix(" "))
    #expect(state.tabs[1].since?.removedCount == 2)
    #expect(lines[0].contains("Cloudflare accounts 20 −2"), "\(lines[0])")
  }

  @Test func theDetailPaneShowsTheChangedFieldsWithTheirOldValues() throws {
    var state = state(width: 120, height: 40)
    for _ in 0..<5 { _ = App.update(&state, .key(.down)) }
    let text = View.render(state).lines.joined(separator: "\n")
    #expect(text.contains("Changed since 2026-12-02 11:40 UTC"))
    #expect(text.contains("settings.enforce_tw"))
    #expect(text.contains("was \"standard\"") && text.contains("was false"))
  }

  @Test func cShowsOnlyTheChangesThenTheRemovedAndAgainEverything() throws {
    var state = state()
    Fixtures.send(&state, .key(.character("c")), pages: Self.pages)
    let ids = (0..<state.tabs[1].rowCount).compactMap { state.tabs[1].record(at: $0)?.name }
    #expect(
      ids == [
        "Umbrella Renamed 3", "Stark Industries 5", "Soylent 🚀 Green 18", "Hooli 19",
        "Acme Corp 40", "Globex 41",
      ])
    #expect(state.tabs[1].cursor == 0)
    let lines = View.render(state).lines
    #expect(lines.first { $0.contains("Globex 41") }?.hasPrefix("-") == true)
    #expect(lines.first { $0.contains("Hooli 19") }?.hasPrefix("+") == true)
    Fixtures.send(&state, .key(.character("c")), pages: Self.pages)
    #expect(state.tabs[1].rowCount == 20)
  }

  @Test func aWidenedRoleShowsTheAllowEntriesItGained() throws {
    var state = state(width: 120, height: 40)
    Fixtures.send(&state, .key(.character("1")), pages: Self.pages)
    _ = App.update(&state, .key(.down))
    let text = View.render(state).lines.joined(separator: "\n")
    #expect(text.contains("+ allow"))
    #expect(text.contains("/twilio/iam/*"))
    #expect(text.contains("- deny"))
  }

  @Test func cWithoutSinceSaysHowToGetIt() {
    var state = state(since: nil)
    _ = App.update(&state, .key(.character("c")))
    #expect(state.status?.text.contains("--since") == true)
    #expect(state.tabs[1].changes == nil)
  }

  @Test func goldenScreensOfTheMarks() throws {
    var state = state()
    for _ in 0..<3 { _ = App.update(&state, .key(.down)) }
    try GoldenScreenTests().check(state, "since-marks-80x24")
    var wide = self.state(width: 120, height: 40)
    Fixtures.send(&wide, .key(.character("c")), pages: Self.pages)
    _ = App.update(&wide, .key(.down))
    try GoldenScreenTests().check(wide, "since-changes-only-120x40")
  }
}

extension SinceTests {
  @Test func changesOnlyNeedsEveryRecordAndEndsWithANewListing() {
    var state = state()
    // A server search narrows the listing: the removed could not be told.
    Fixtures.send(&state, .key(.character("/")), pages: Self.pages)
    for character in "acme" { _ = App.update(&state, .key(.character(character))) }
    _ = App.update(&state, .key(.enter))
    Fixtures.send(
      &state, .debounceFired(tab: 1, token: state.tabs[1].debounceToken), pages: Self.pages)
    _ = App.update(&state, .key(.character("c")))
    #expect(state.tabs[1].changes == nil)
    #expect(state.status?.text.contains("clear the search") == true)
  }
}

/// Issue 21, item 6: `--since` marks the people whose role assignments changed, though
/// their user record did not.
extension SinceTests {
  @Test func aUserWhoseAssignmentsChangedIsMarkedWithTheAssignmentsTheyHad() throws {
    let people = UsersTabTests.people
    let org = "OR00000000000000000000000000000000"
    let before = PeopleDirectory(
      people: people.map(Person.init(record:)),
      assignments: [
        RoleAssignment(sid: "IY1", roleSID: "IX1", scope: org, identity: "US01"),
        RoleAssignment(sid: "IY2", roleSID: "IX1", scope: org, identity: "US02"),
      ])
    var now = before
    now.assignments.append(
      RoleAssignment(sid: "IY3", roleSID: "IX9", scope: org, identity: "US02"))
    var baseline = Baseline(takenAt: "2026-12-02 11:40 UTC", records: [.twilioUsers: people])
    baseline.peopleThen = Baseline.PeopleThen(
      directory: before, roleNames: ["IX1": "Billing"], scopeNames: [:])
    var state = Fixtures.loaded(
      [UsersTabTests.users], width: 120, height: 30, people: nil
    ) { request in
      request.cursor == nil ? Page(records: people, next: nil, total: 2) : nil
    }
    state.tabs[0].since = baseline
    // Nothing to compare until the users tab has the people of now (no fetch before the
    // TUI starts); then the one whose assignments changed is marked.
    #expect(state.tabs[0].since?.assignments.isEmpty == true)
    let owner = RolePolicy(id: "IX9", name: "Owner", allow: ["/twilio/*"], deny: [])
    _ = App.update(
      &state,
      .peopleLoaded(
        number: state.people.number, PeopleData(directory: now, roles: [owner], accounts: [:])))
    #expect(state.tabs[0].since?.assignments.keys.sorted() == ["US02"])
    _ = App.update(&state, .key(.down))
    let lines = View.render(state).lines
    #expect(lines.first { $0.contains("US02") }?.hasPrefix("~") == true, "\(lines)")
    #expect(lines.first { $0.contains("US01") }?.hasPrefix(" ") == true)
    let text = lines.joined(separator: "\n")
    #expect(text.contains("Changed since 2026-12-02 11:40 UTC"), "\(text)")
    #expect(text.contains("was [\"Billing in the organization\"]"), "\(text)")
  }
}
