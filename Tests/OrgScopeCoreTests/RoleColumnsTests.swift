import OrgScopeCore
import Testing

/// `roles matrix --roles A,B`: one column per chosen role, and only the rows they touch.
@Suite struct RoleColumnsTests {
  let roles = [
    RolePolicy(id: "IX1", name: "Billing Viewer", allow: ["/twilio/billing/*/read"], deny: []),
    RolePolicy(
      id: "IX2", name: "Voice Administrator of Everything", allow: ["/twilio/voice/*"],
      deny: ["/twilio/voice/*/delete"]),
    RolePolicy(id: "IX3", name: "IAM", allow: ["/twilio/iam/users/read"], deny: []),
    RolePolicy(id: "IX4", name: "Owner", allow: ["*"], deny: []),
  ]

  /// The matrix of the first three roles (not the owner's "*", which touches every row).
  func chosen(_ columns: [Int], of count: Int = 3) -> RoleAudit.Matrix {
    var index = PolicyIndex(Array(roles.prefix(count)))
    return RoleAudit.matrix(&index, chosen: columns)
  }

  @Test func rowsNoChosenRoleTouchesAreLeftOut() {
    let matrix = chosen([1, 0])
    #expect(matrix.roles.map(\.id) == ["IX2", "IX1"])
    // `/twilio/voice/*/delete` is written, but both deny or lack it; IAM's entry is IAM's.
    #expect(matrix.rows.map(\.permission) == ["/twilio/billing/*/read", "/twilio/voice/*"])
    #expect(matrix.rows.map(\.cells) == [[.none, .all], [.some, .none]])
  }

  @Test func everyRowIsKeptWhenAChosenRoleTouchesIt() {
    var index = PolicyIndex(roles)
    let all = RoleAudit.matrix(&index)
    #expect(chosen([3, 0], of: 4).rows.map(\.permission) == all.rows.map(\.permission))
  }

  @Test func theTableHasOneColumnPerRoleHeadedByItsWholeNameInAPipe() {
    let text = AuditReport.roleColumns(chosen([0, 1]), width: nil)
    func cells(_ a: String, _ b: String) -> String {
      a + String(repeating: " ", count: 16 - a.count) + b
        + String(repeating: " ", count: 35 - b.count)
    }
    #expect(
      text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == [
        "2 entries × 2 roles",
        "Billing Viewer  Voice Administrator of Everything  permission",
        "/twilio/billing",
        cells("all", "-") + "/twilio/billing/*/read",
        "/twilio/voice",
        cells("-", "some") + "/twilio/voice/*",
        "",
      ])
  }

  @Test func onATerminalNamesAreCutSoThePermissionsKeepRoom() {
    let text = AuditReport.roleColumns(chosen([0, 1]), width: 60)
    let lines = text.split(separator: "\n").map(String.init)
    for line in lines { #expect(DisplayWidth.of(line) <= 60, "\(line)") }
    #expect(lines[1] == "Billing Viewer  Voice Administrator…  permission", "\(lines[1])")
    #expect(lines[3].hasSuffix("  /twilio/billing/*/read"), "\(lines[3])")
    // Narrower, the names share what the permissions leave, and never go below a cell.
    let narrow = AuditReport.roleColumns(chosen([0, 1, 2, 3], of: 4), width: 40)
    #expect(narrow.split(separator: "\n")[1] == "Billi…  Voice…  IAM   Owner  permission")
    let narrowest = AuditReport.roleColumns(chosen([0, 1, 2, 3], of: 4), width: 20)
    #expect(narrowest.split(separator: "\n")[1].hasPrefix("Bil…  Voi…  IAM   O"))
  }

  @Test func hostileNamesAreCleanedBeforeTheyAreMeasured() {
    let hostile = [RolePolicy(id: "IX9", name: "Evil\u{1B}[2J", allow: ["/a"], deny: [])]
    var index = PolicyIndex(hostile)
    let text = AuditReport.roleColumns(RoleAudit.matrix(&index, chosen: [0]), width: nil)
    #expect(!text.contains("\u{1B}"))
    #expect(text.split(separator: "\n")[1] == "Evil  permission")
  }
}
