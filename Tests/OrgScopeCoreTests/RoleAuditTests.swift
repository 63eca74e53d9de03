import OrgScopeCore
import Testing

@Suite struct GlobTests {
  @Test func exactEntryMatchesOnlyItself() {
    #expect(Glob("/twilio/billing/invoices/read").matches("/twilio/billing/invoices/read"))
    #expect(!Glob("/twilio/billing/invoices/read").matches("/twilio/billing/invoices/list"))
    #expect(!Glob("/twilio/billing/invoices").matches("/twilio/billing/invoices/read"))
  }

  @Test func starSpansSegmentsAndIgnoresCase() {
    #expect(Glob("/twilio/*/read").matches("/twilio/billing/invoices/read"))
    #expect(Glob("/Twilio/Billing/*").matches("/twilio/billing/invoices/READ"))
    #expect(!Glob("/twilio/billing/*").matches("/twilio/billingx"))
    #expect(Glob("a**b").key == "a*b")
  }

  @Test func overlappingWildcardsMeet() throws {
    // The case the old prefix test missed: neither covers the other, yet they meet.
    let query = Glob("/twilio/*/delete")
    let entry = Glob("/twilio/iam/users/*")
    #expect(try GlobSearch.meet(query, entry))
    #expect(try !GlobSearch.contains(query, entry) && !GlobSearch.contains(entry, query))
    #expect(try GlobSearch.meet(Glob("*account*delete*"), Glob("/twilio/accounts/delete")))
    #expect(try !GlobSearch.meet(Glob("/twilio/*/read"), Glob("/twilio/iam/*/list")))
  }

  @Test func witnessIsAShortestString() throws {
    let witness = try #require(
      try GlobSearch.witness(
        matching: [Glob("/twilio/*/delete"), Glob("/twilio/iam/users/*")], avoiding: []))
    #expect(witness == "/twilio/iam/users/delete")
    #expect(try GlobSearch.witness(matching: [Glob("a*")], avoiding: [Glob("*")]) == nil)
  }

  @Test func malformedQueriesAreRefused() {
    #expect(throws: GlobError.empty) { try Glob(query: "") }
    #expect(throws: GlobError.invalidCharacter(0x20)) { try Glob(query: "/twilio/ x") }
    #expect(throws: GlobError.invalidCharacter(0x1B)) { try Glob(query: "/twilio/\u{1B}[2J") }
    #expect((try? Glob(query: "/twilio/*")) != nil)
  }
}

@Suite struct RoleAuditTests {
  let viewer = RolePolicy(
    id: "IX01", name: "Billing Viewer",
    allow: ["/twilio/billing/invoices/read", "/twilio/billing/receipts/list"], deny: [])
  let admin = RolePolicy(
    id: "IX02", name: "Billing Admin",
    allow: ["/twilio/billing/*", "/twilio/iam/users/read"],
    deny: ["/twilio/billing/payment-methods/*"])
  let locked = RolePolicy(
    id: "IX03", name: "Locked Billing", allow: ["/twilio/billing/invoices/read"],
    deny: ["/twilio/billing/*"])
  let iam = RolePolicy(
    id: "IX04", name: "IAM Users", allow: ["/twilio/iam/users/*"], deny: [])
  let iamNoDelete = RolePolicy(
    id: "IX05", name: "IAM Users, no delete", allow: ["/twilio/iam/users/*"],
    deny: ["/twilio/IAM/users/DELETE"])

  var all: [RolePolicy] { [viewer, admin, locked, iam, iamNoDelete] }

  @Test func literalQueryGrantsAndDenies() {
    let result = RoleAudit.grants(Glob("/twilio/billing/invoices/read"), in: all)
    #expect(result.granted.map(\.role.id).sorted() == ["IX01", "IX02"])
    #expect(result.granted.allSatisfy { $0.coverage == .all })
    #expect(result.granted.first { $0.role.id == "IX02" }?.allow == ["/twilio/billing/*"])
    #expect(result.overridden.map(\.role.id) == ["IX03"])
    #expect(result.overridden[0].deny == ["/twilio/billing/*"])
    #expect(result.summary == "2 roles grant all of it, 0 some, 1 is denied by its own deny list")
  }

  @Test func denyOverridesAllowWithCaseIgnored() {
    let result = RoleAudit.grants(Glob("/twilio/iam/users/delete"), in: all)
    #expect(result.granted.map(\.role.id) == ["IX04"])
    #expect(result.overridden.map(\.role.id) == ["IX05"])
    #expect(result.overridden[0].deny == ["/twilio/IAM/users/DELETE"])
  }

  @Test func wildcardQueryFindsOverlappingEntries() {
    let result = RoleAudit.grants(Glob("/twilio/*/delete"), in: all)
    // Admin's /twilio/billing/* grants /twilio/billing/x/delete: some of the query.
    // IX05 denies /twilio/iam/users/delete, yet /twilio/iam/users/x/delete is still both
    // in the query and granted: some, not overridden.
    #expect(
      Dictionary(uniqueKeysWithValues: result.granted.map { ($0.role.id, $0.coverage) }) == [
        "IX02": .some, "IX04": .some, "IX05": .some,
      ])
    #expect(result.overridden.isEmpty)
    let wide = RoleAudit.grants(Glob("/twilio/billing/*"), in: all)
    #expect(wide.granted.first?.role.id == "IX02")
    #expect(wide.granted.first?.coverage == .some)  // payment methods are denied
  }

  @Test func someVersusAllOfAWildcardQuery() throws {
    let full = RolePolicy(id: "F", name: "Full", allow: ["/twilio/*"], deny: [])
    let split = RolePolicy(
      id: "S", name: "Split", allow: ["/twilio/a*", "/twilio/", "/twilio/*"],
      deny: [])
    let result = RoleAudit.grants(Glob("/twilio/iam/*"), in: [full, split, iam])
    #expect(result.granted.map(\.coverage) == [.all, .all, .some])
    // Entries decided on the patterns: "a*" covers all of "a*b", only some of "*".
    let union = RolePolicy(id: "U", name: "Union", allow: ["a*", "*b", "b*"], deny: [])
    var index = PolicyIndex([union])
    #expect(try index.reach(index.intern("a*b"), role: 0).coverage == .all)
    #expect(try index.reach(index.intern("*"), role: 0).coverage == .some)
  }

  @Test func diffVerdictEqual() {
    // Different text, same effect.
    let a = RolePolicy(id: "A", name: "A", allow: ["/twilio/billing/*"], deny: [])
    let b = RolePolicy(
      id: "B", name: "B", allow: ["/Twilio/Billing/*", "/twilio/billing/invoices/read"],
      deny: ["/twilio/messaging/*"])
    let diff = RoleAudit.diff(a, b)
    #expect(diff.relation == .equal)
    #expect(diff.differences.isEmpty)
    #expect(diff.onlyA == nil && diff.onlyB == nil)
  }

  @Test func diffVerdictWithin() {
    let narrow = RolePolicy(
      id: "N", name: "Billing Viewer",
      allow: ["/twilio/billing/invoices/read", "/twilio/iam/api-keys/*"], deny: [])
    let wide = RolePolicy(
      id: "W", name: "Billing Admin", allow: ["/twilio/billing/*", "/twilio/iam/api-keys/read"],
      deny: [])
    // /twilio/iam/api-keys/read is allowed by both (the viewer's api-keys/* covers it).
    let diff = RoleAudit.diff(wide, narrow)
    #expect(diff.relation == .incomparable)
    #expect(
      diff.differences.first { $0.permission == "/twilio/iam/api-keys/read" } == nil)
    let within = RoleAudit.diff(
      RolePolicy(id: "V", name: "Viewer", allow: ["/twilio/billing/invoices/read"], deny: []),
      wide)
    #expect(within.relation == .aWithinB)
    #expect(within.onlyB != nil && within.onlyA == nil)
    #expect(within.verdict.contains("grants nothing that \"Billing Admin\" does not"))
    #expect(RoleAudit.diff(wide, within.a).relation == .bWithinA)
  }

  @Test func diffVerdictIncomparableAndDeniedByBoth() {
    let a = RolePolicy(
      id: "A", name: "A", allow: ["/twilio/iam/*"], deny: ["/twilio/iam/users/delete"])
    let b = RolePolicy(
      id: "B", name: "B", allow: ["/twilio/iam/users/*", "/twilio/billing/read"],
      deny: ["/twilio/iam/users/delete"])
    let diff = RoleAudit.diff(a, b)
    #expect(diff.relation == .incomparable)
    let rows = Dictionary(uniqueKeysWithValues: diff.differences.map { ($0.permission, $0) })
    // Denied by both: the same coverage, so not a difference.
    #expect(rows["/twilio/iam/users/delete"] == nil)
    #expect(rows["/twilio/iam/*"] == nil)  // some in both
    #expect(rows["/twilio/billing/read"].map { [$0.a, $0.b] } == [.none, .all])
    #expect(rows["/twilio/iam/users/*"].map { [$0.a, $0.b] } == nil)
  }

  @Test func matrixCellsAreCoverageNotText() {
    let roles = [
      RolePolicy(id: "1", name: "Everything", allow: ["/twilio/*"], deny: []),
      RolePolicy(id: "2", name: "IAM", allow: ["/twilio/iam/*"], deny: []),
      RolePolicy(id: "3", name: "Users", allow: ["/twilio/iam/users/*"], deny: []),
      RolePolicy(
        id: "4", name: "Literal", allow: ["/twilio/iam/users/delete"],
        deny: []),
      RolePolicy(
        id: "5", name: "Denied", allow: ["/twilio/*"], deny: ["/twilio/*/delete"]),
    ]
    var index = PolicyIndex(roles)
    let matrix = RoleAudit.matrix(&index)
    let row = matrix.rows.first { $0.permission == "/twilio/iam/users/delete" }
    #expect(row?.cells == [.all, .all, .all, .all, .none])
    #expect(row?.grantedBy == 4)
    let star = matrix.rows.first { $0.permission == "/twilio/*" }
    #expect(star?.cells == [.all, .some, .some, .some, .some])
    #expect(star?.partlyBy == 4)
    #expect(
      RoleAudit.matrix(&index, filter: "USERS").rows.map(\.permission) == [
        "/twilio/iam/users/*", "/twilio/iam/users/delete",
      ])
    // With a star, rows that share a permission with the filter.
    #expect(
      RoleAudit.matrix(&index, filter: "*/delete").rows.map(\.permission) == [
        "/twilio/*", "/twilio/*/delete", "/twilio/iam/*", "/twilio/iam/users/*",
        "/twilio/iam/users/delete",
      ])
    #expect(RoleAudit.matrix(&index, columns: [4]).roles.map(\.id) == ["5"])
  }

  @Test func notesMarkWhatDenyEntriesCut() {
    let notes = RoleAudit.notes(for: iamNoDelete)
    #expect(notes[0].entry == "/twilio/iam/users/*" && notes[0].fully == false)
    #expect(notes[0].others == ["/twilio/IAM/users/DELETE"])
    #expect(notes[1].isDeny && notes[1].others == ["/twilio/iam/users/*"])
    let lockedNotes = RoleAudit.notes(for: locked)
    #expect(lockedNotes[0].fully == true)
  }
}
