import OrgScopeCore
import Testing

/// Issue 21: who can, by person. The semantics on hand-made cases; `PeoplePropertyTests`
/// checks them against brute force.
@Suite(.onWorkThreads) struct PeopleAuditTests {
  static let roles = [
    RolePolicy(id: "IXall", name: "Everything", allow: ["/twilio/*"], deny: []),
    RolePolicy(id: "IXbill", name: "Billing", allow: ["/Twilio/Billing/*"], deny: []),
    RolePolicy(id: "IXnodel", name: "No Delete", allow: ["*"], deny: ["/twilio/*/DELETE"]),
    RolePolicy(
      id: "IXread", name: "Reader", allow: ["/twilio/*/read"],
      deny: ["/twilio/billing/invoices/delete", "/twilio/voice/*"]),
    RolePolicy(
      id: "IXbig", name: "Huge", allow: (0...PolicyIndex.maxEntries).map { "/twilio/x\($0)/*" },
      deny: []),
  ]

  static let org = "OR00000000000000000000000000000000"
  static let a1 = "AC11111111111111111111111111111111"
  static let a2 = "AC22222222222222222222222222222222"

  static func person(_ n: Int, active: Bool = true) -> Person {
    Person(
      sid: "US\(n)", userName: "user\(n)@example.com", displayName: "User \(n)", active: active)
  }

  static func held(_ user: Int, _ role: String, _ scope: String, _ k: Int = 0) -> RoleAssignment {
    RoleAssignment(sid: "IY\(user)\(k)", roleSID: role, scope: scope, identity: "US\(user)")
  }

  static let directory = PeopleDirectory(
    people: (1...9).map { person($0, active: $0 != 7) },
    assignments: [
      held(1, "IXall", org),
      held(2, "IXbill", a1), held(2, "IXnodel", org, 1),
      held(3, "IXnodel", a1),
      held(4, "IXbill", a2),
      held(5, "IXmissing", org),
      held(6, "IXbig", org),
      held(7, "IXall", a2),
      held(8, "IXbill", a1), held(8, "IXnodel", a2, 1),
      held(9, "IXbill", a1), held(9, "IXread", a1, 1),
    ])

  static func answer(_ result: PeopleAudit.Result, _ sid: String) -> PeopleAudit.Answer? {
    (result.users + result.overridden + result.undecided).first { $0.person.sid == sid }
  }

  @Test func aUsersCoverageIsTheBestOfTheRolesThatApplyAnywhere() {
    let result = PeopleAudit.whoCan(
      Glob("/twilio/*/delete"), people: Self.directory, roles: Self.roles,
      scopeNames: [Self.a1: "Acme Berlin"])
    #expect(Self.answer(result, "US1")?.coverage == .all)
    #expect(Self.answer(result, "US2")?.coverage == .some)
    #expect(Self.answer(result, "US4")?.coverage == .some)
    #expect(Self.answer(result, "US7")?.coverage == .all)
    #expect(Self.answer(result, "US7")?.person.active == false)
    #expect(result.users.map(\.person.sid) == ["US1", "US7", "US2", "US4", "US8", "US9"])
    let via = Self.answer(result, "US2")?.via
    #expect(via?.map(\.roleSID) == ["IXbill"])
    #expect(via?.first?.scopeName == "Acme Berlin")
    #expect(via?.first?.coverage == .some)
    #expect(result.overridden.map(\.person.sid) == ["US3"])
    #expect(result.overridden.first?.via.map(\.scope) == [Self.a1])
    #expect(result.undecided.map(\.person.sid) == ["US6"])
    #expect(result.missingRoles.map(\.roleSID) == ["IXmissing"])
    #expect(result.missingRolesNote == "1 assignment names a role that does not exist: IXmissing")
    #expect(Self.answer(result, "US5") == nil)
    #expect(result.allCount == 2 && result.someCount == 4 && result.people == 9)
    #expect(
      result.summary.hasPrefix(
        "2 people can do all of it, 4 some, 1 is held back by their roles' own deny lists, 1 is too complex to decide"
      ), "\(result.summary)")
  }

  @Test func anAccountLimitsTheRolesToItsOwnAndTheOrganizations() {
    let result = PeopleAudit.whoCan(
      Glob("/twilio/*/delete"), people: Self.directory, roles: Self.roles, account: Self.a1)
    #expect(result.account == Self.a1)
    #expect(result.users.map(\.person.sid) == ["US1", "US2", "US8", "US9"])
    #expect(Self.answer(result, "US4") == nil)
    #expect(Self.answer(result, "US7") == nil)
    #expect(result.overridden.map(\.person.sid) == ["US3"])
  }

  @Test func aDenyOfAnotherRoleMeetingWhatOneGrantsIsShownNotApplied() {
    let result = PeopleAudit.whoCan(
      Glob("/twilio/*/delete"), people: Self.directory, roles: Self.roles)
    let two = Self.answer(result, "US2")
    #expect(two?.coverage == .some)
    #expect(
      two?.contestedBy == [
        PeopleAudit.Contest(
          roleSID: "IXnodel", role: "No Delete", scope: Self.org, deny: ["/twilio/*/DELETE"],
          scopeName: "the organization")
      ])
    // Roles in two different accounts never apply together.
    #expect(Self.answer(result, "US8")?.contestedBy == [])
    // Quoted as the denying role wrote it; only the entry that meets what Billing grants.
    #expect(
      Self.answer(result, "US9")?.contestedBy.first?.deny == ["/twilio/billing/invoices/delete"])
    #expect(Self.answer(result, "US1")?.contestedBy == [])
    #expect(result.contestedCount == 2)
  }

  @Test func reportsLeadWithTheSummaryAndKeepTheIssuesShape() throws {
    let result = PeopleAudit.whoCan(
      Glob("/twilio/*/delete"), people: Self.directory, roles: Self.roles)
    let text = PeopleReport.text(result, width: nil)
    #expect(text.hasPrefix("Who can /twilio/*/delete: 2 people can do all of it"), "\(text)")
    #expect(text.contains("[inactive]") && text.contains("[contested]"))
    #expect(text.contains("IXmissing"))
    let json = JSONWriter.compact(PeopleReport.json(result))
    for key in [
      #""query":"#, #""account":null"#, #""users":"#, #""user_name":"#, #""display_name":"#,
      #""active":"#, #""coverage":"all""#, #""via":"#, #""role_sid":"#, #""scope_name":"#,
      #""contested_by":"#, #""deny":"#, #""overridden":"#,
      #""summary":{"all":2,"some":4,"overridden":1"#,
    ] {
      #expect(json.contains(key), "\(key) in \(json)")
    }
    let lines = PeopleReport.ndjson(result).map(JSONWriter.compact)
    #expect(lines.first?.hasPrefix(#"{"kind":"granted""#) == true)
    #expect(lines.last?.hasPrefix(#"{"kind":"summary""#) == true)
    #expect(PeopleReport.csv(result).hasPrefix("kind,sid,user_name"))
  }

  @Test func aProfileGroupsAssignmentsByScopeOrganizationFirst() throws {
    let profile = PeopleAudit.profile(
      of: Self.person(2), people: Self.directory, roles: Self.roles,
      scopeNames: [Self.a1: "Acme Berlin"])
    #expect(profile.scopes.map(\.name) == ["the organization", "Acme Berlin"])
    #expect(profile.scopes[0].roles.first?.role?.id == "IXnodel")
    let text = PeopleReport.text(profile, width: nil)
    #expect(text.contains("deny  /twilio/*/DELETE"), "\(text)")
    let missing = PeopleAudit.profile(of: Self.person(5), people: Self.directory, roles: Self.roles)
    #expect(PeopleReport.text(missing, width: nil).contains("no such role"))
  }

  @Test func aUserIsFoundBySidUserNameOrEmail() throws {
    #expect(try Self.directory.person("US3").sid == "US3")
    #expect(try Self.directory.person("USER4@example.com").sid == "US4")
    #expect(throws: OrgScopeError.self) { try Self.directory.person("nobody@example.com") }
  }
}
