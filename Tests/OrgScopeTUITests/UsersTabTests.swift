import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 21 in the TUI, so far: the users tab, searched locally by user name, e-mail and sid;
/// `p` there says where "who can, by person" is answered.
@Suite struct UsersTabTests {
  static var users: SourceSetup {
    .ready(Fixtures.client(TwilioUsersProvider(organizationSID: "OR1")))
  }

  static let people = [
    Record(
      id: "US01", name: "Ana Silva", fields: JSONObject([]),
      aliases: ["ana.silva@example.com"]),
    Record(
      id: "US02", name: "Ben Okafor", fields: JSONObject([]), aliases: ["ben@corp.example"]),
  ]

  static func state() -> AppState {
    Fixtures.loaded([users]) { request in
      request.cursor == nil ? Page(records: people, next: nil, total: 2) : nil
    }
  }

  @Test func theSearchFindsAUserByEmailAsWellAsByNameOrSid() {
    var state = Self.state()
    #expect(state.tabs[0].rowCount == 2)
    _ = App.update(&state, .key(.character("/")))
    for character in "corp.example" { _ = App.update(&state, .key(.character(character))) }
    #expect(state.tabs[0].rowCount == 1)
    let screen = View.render(state).lines.joined(separator: "\n")
    #expect(screen.contains("Ben Okafor"), "\(screen)")
  }

  @Test func pOnTheUsersTabSaysWhereWhoCanByPersonIsAnswered() {
    var state = Self.state()
    _ = App.update(&state, .key(.character("p")))
    #expect(
      state.status?.text.contains("orgscope who-can") == true, "\(String(describing: state.status))"
    )
  }
}
