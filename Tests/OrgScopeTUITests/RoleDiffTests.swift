import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Role diff in the TUI (issue 19, item 5): `m` marks the selected role, `d` compares the
/// selected role with it, as `orgscope roles diff MARKED SELECTED` does.
@Suite struct RoleDiffTests {
  /// Every audit role loaded, in fixture order.
  static func roles(width: Int = 80, height: Int = 24) -> AppState {
    Fixtures.loaded([Fixtures.roles], width: width, height: height) { WhoCanTests.pages($0) }
  }

  static func select(_ name: String, _ state: inout AppState) {
    let tab = state.tabs[0]
    guard let row = (0..<tab.rowCount).first(where: { tab.record(at: $0)?.name == name }) else {
      Issue.record("no row \(name)")
      return
    }
    _ = App.update(&state, .key(.character("g")))
    for _ in 0..<row { _ = App.update(&state, .key(.down)) }
    #expect(state.tabs[0].selected?.name == name)
  }

  /// `m` on `marked`, then `d` on `selected`.
  static func compared(
    _ marked: String, _ selected: String, width: Int = 80, height: Int = 24
  ) -> AppState {
    var state = roles(width: width, height: height)
    select(marked, &state)
    _ = App.update(&state, .key(.character("m")))
    select(selected, &state)
    _ = App.update(&state, .key(.character("d")))
    return state
  }

  static func policy(_ name: String) -> RolePolicy {
    Fixtures.auditRoles.compactMap(TwilioRolesProvider().policy(of:)).first { $0.name == name }!
  }

  @Test func mMarksTheSelectedRoleAndMOnItAgainUnmarksIt() {
    var state = Self.roles()
    Self.select("IAM Admin", &state)
    _ = App.update(&state, .key(.character("m")))
    #expect(state.tabs[0].marked?.name == "IAM Admin")
    #expect(state.status?.text.contains("IAM Admin") == true)
    let row = View.render(state).lines.first { $0.contains("IAM Admin") } ?? ""
    #expect(row.hasPrefix("*"), "the marked row says so: \(row)")
    _ = App.update(&state, .key(.down))
    _ = App.update(&state, .key(.up))
    _ = App.update(&state, .key(.character("m")))
    #expect(state.tabs[0].marked == nil)
  }

  @Test func mOnAnotherRoleMovesTheMark() {
    var state = Self.roles()
    Self.select("IAM Admin", &state)
    _ = App.update(&state, .key(.character("m")))
    Self.select("Everything", &state)
    _ = App.update(&state, .key(.character("m")))
    #expect(state.tabs[0].marked?.name == "Everything")
  }

  @Test func dShowsTheVerdictAndTheDifferencesAsRolesDiffDoes() throws {
    let state = Self.compared("IAM Admin", "Users Manager")
    let diff = try #require(state.tabs[0].roleDiff)
    let cli = RoleAudit.diff(Self.policy("IAM Admin"), Self.policy("Users Manager"))
    #expect(diff == cli)
    #expect(diff.relation == .incomparable)
    let sections = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0])
    #expect(Array(sections.prefix(2)) == AuditReport.sections(cli))
    #expect(state.focus == .detail)
    let screen = View.render(state).lines.joined(separator: "\n")
    #expect(screen.contains("each grant something the other does not"), "\(screen)")
    #expect(screen.contains("e.g. "), "an example permission: \(screen)")
  }

  @Test func aRoleWithinAnotherSaysWhichGrantsMore() throws {
    let state = Self.compared("Everything", "Support Agent")
    #expect(state.tabs[0].roleDiff?.relation == .bWithinA)
    let sections = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0])
    #expect(sections.first?.title.contains("(\"Everything\" grants more)") == true)
    #expect(state.status?.text == "compared with the marked \"Everything\"")
  }

  @Test func equalRolesSaySo() throws {
    var state = Fixtures.loaded([Fixtures.roles]) { request in
      request.cursor == nil
        ? Page(
          records: [
            Fixtures.role(1, name: "One", allow: ["/twilio/iam/*"], deny: []),
            Fixtures.role(
              2, name: "Two", allow: ["/TWILIO/IAM/*", "/twilio/iam/users/read"], deny: []),
          ], next: nil) : nil
    }
    _ = App.update(&state, .key(.character("m")))
    _ = App.update(&state, .key(.down))
    _ = App.update(&state, .key(.character("d")))
    #expect(state.tabs[0].roleDiff?.relation == .equal)
    #expect(state.tabs[0].roleDiff?.differences.isEmpty == true)
  }

  @Test func dWithoutAMarkOrOnTheMarkedRoleSaysWhatToDo() {
    var state = Self.roles()
    _ = App.update(&state, .key(.character("d")))
    #expect(state.tabs[0].roleDiff == nil)
    #expect(state.status?.text.contains("m marks") == true)
    _ = App.update(&state, .key(.character("m")))
    _ = App.update(&state, .key(.character("d")))
    #expect(state.tabs[0].roleDiff == nil)
    #expect(state.status?.text.contains("another role") == true)
    #expect(state.focus == .list)
  }

  @Test func theDiffIsShownOnlyOnTheComparedRoleAndEscGoesBack() {
    var state = Self.compared("IAM Admin", "Users Manager")
    _ = App.update(&state, .key(.escape))
    #expect(state.focus == .list)
    _ = App.update(&state, .key(.down))
    let other = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0])
    #expect(!other.contains { $0.title.contains("each grant something") })
    _ = App.update(&state, .key(.up))
    let again = DetailLayout.sections(for: state.tabs[0].selected!, in: state.tabs[0])
    #expect(again.first?.title.contains("each grant something") == true)
    // Unmarking puts the diff away.
    Self.select("IAM Admin", &state)
    _ = App.update(&state, .key(.character("m")))
    #expect(state.tabs[0].roleDiff == nil)
  }

  @Test func mAndDOnASourceWithoutRolesSayWhereTheyWork() {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in nil }
    for key in ["m", "d"] as [Character] {
      _ = App.update(&state, .key(.character(key)))
      #expect(state.status?.text.contains("roles tab") == true)
    }
  }

  @Test func hostileRoleNamesInTheDiffNeverReachTheTerminal() {
    var state = Fixtures.loaded([Fixtures.roles]) { request in
      request.cursor == nil
        ? Page(
          records: [
            Fixtures.role(1, name: "\u{1B}]0;owned\u{07}A", allow: ["/twilio/*"], deny: []),
            Fixtures.role(2, name: "evil\u{202E}B\u{1B}[2J", allow: ["/twilio/x/*"], deny: []),
          ], next: nil) : nil
    }
    _ = App.update(&state, .key(.character("m")))
    _ = App.update(&state, .key(.down))
    _ = App.update(&state, .key(.character("d")))
    #expect(state.tabs[0].roleDiff != nil)
    for cell in View.render(state).cells {
      for scalar in cell.text.unicodeScalars {
        #expect(scalar.value >= 0x20 && !(0x7F..<0xA0).contains(scalar.value))
        #expect(!(0x202A...0x202E).contains(scalar.value))
      }
    }
  }

  @Test func theHelpAndTheKeyTableNameMAndD() {
    let lines = Canvas.helpLines(KeyMap(tabCount: 5))
    #expect(lines.contains(.keys("m d", "roles: mark a role / compare with it")))
  }
}
