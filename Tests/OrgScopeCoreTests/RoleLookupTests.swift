import OrgScopeCore
import Testing

/// `roles diff A B` and `roles matrix --roles A,B`: which role a word names.
@Suite struct RoleLookupTests {
  static func role(_ id: String, _ name: String) -> RolePolicy {
    RolePolicy(id: id, name: name, allow: ["/twilio/\(id)/read"], deny: [])
  }

  let roles = [
    role("IX01", "Verify Editor"), role("IX02", "Verify Editor (custom 1)"),
    role("IX03", "Verify Editor (custom 2)"), role("IX04", "Billing Viewer"),
    role("IX05", "Locked Auditor"), role("IX06", "Twin"), role("IX07", "Twin"),
  ]

  func resolve(_ key: String) throws(RoleLookupError) -> String {
    try RoleLookup.resolve(key, in: roles).id
  }

  @Test func aSidOrAWholeNameNamesOneRole() throws {
    #expect(try resolve("IX04") == "IX04")
    #expect(try resolve("billing viewer") == "IX04")
    // A whole name wins over the longer names that contain it.
    #expect(try resolve("Verify Editor") == "IX01")
  }

  @Test func aPartialNameMatchingExactlyOneIsAccepted() throws {
    #expect(try resolve("Locked") == "IX05")
    #expect(try resolve("auditor") == "IX05")
    #expect(try resolve("custom 2") == "IX03")
  }

  @Test func aNameMatchingSeveralListsTheCandidates() {
    #expect(throws: RoleLookupError.ambiguous("Verify Edit", candidates: Array(roles[0...2]))) {
      try resolve("Verify Edit")
    }
    let message = RoleLookupError.ambiguous("Verify Edit", candidates: Array(roles[0...2]))
      .description
    #expect(
      message
        == #""Verify Edit" names 3 roles: IX01 "Verify Editor", IX02 "Verify Editor (custom 1)", IX03 "Verify Editor (custom 2)"; give a sid or a whole name"#
    )
    // Two roles of one name: only a sid tells them apart.
    #expect(throws: RoleLookupError.ambiguous("twin", candidates: [roles[5], roles[6]])) {
      try resolve("twin")
    }
    #expect(
      RoleLookupError.ambiguous("twin", candidates: [roles[5], roles[6]]).description
        .hasSuffix("; give a sid"))
  }

  @Test func manyCandidatesAreCutAndCounted() {
    let many = (1...25).map { Self.role("IX\($0)", "Role \($0)") }
    do {
      _ = try RoleLookup.resolve("role", in: many)
      Issue.record("several roles must be an error")
    } catch {
      #expect(error.description.contains(", and 15 more; give a sid or a whole name"))
    }
  }

  @Test func noRoleSuggestsTheClosestNames() {
    #expect(throws: RoleLookupError.noRole("Biling Viewer", closest: ["Billing Viewer"])) {
      try resolve("Biling Viewer")
    }
    #expect(
      RoleLookupError.noRole("Biling Viewer", closest: ["Billing Viewer"]).description
        == #"no role "Biling Viewer"; did you mean "Billing Viewer"?"#)
    #expect(RoleLookupError.noRole("zzz", closest: []).description == #"no role "zzz""#)
  }

  @Test func hostileNamesAreCleanedInTheMessage() {
    let hostile = [Self.role("IX1", "Evil\u{1B}[2J one"), Self.role("IX2", "Evil two")]
    do {
      _ = try RoleLookup.resolve("evil", in: hostile)
      Issue.record("several roles must be an error")
    } catch {
      #expect(!error.description.contains("\u{1B}"))
    }
  }
}
