import OrgScopeCore
import Testing

@Suite struct PermissionMatchingTests {
  @Test func exactEntryCoversOnlyItself() {
    #expect(
      PermissionPattern.covers("/twilio/billing/invoices/read", "/twilio/billing/invoices/read"))
    #expect(
      !PermissionPattern.covers("/twilio/billing/invoices/read", "/twilio/billing/invoices/list"))
    #expect(!PermissionPattern.covers("/twilio/billing/invoices", "/twilio/billing/invoices/read"))
  }

  @Test func trailingWildcardCoversEverythingBelow() {
    #expect(PermissionPattern.covers("/twilio/billing/*", "/twilio/billing/invoices/read"))
    #expect(PermissionPattern.covers("/twilio/billing/*", "/twilio/billing/a"))
    #expect(!PermissionPattern.covers("/twilio/billing/*", "/twilio/messaging/a"))
    #expect(!PermissionPattern.covers("/twilio/billing/*", "/twilio/billingx"))
  }

  @Test func middleWildcardSpansSegments() {
    #expect(PermissionPattern.covers("/twilio/*/read", "/twilio/billing/invoices/read"))
    #expect(PermissionPattern.covers("/twilio/*/read", "/twilio/iam/read"))
    #expect(!PermissionPattern.covers("/twilio/*/read", "/twilio/iam/list"))
    #expect(PermissionPattern.covers("/twilio/*/invoices/*", "/twilio/billing/invoices/read"))
  }

  @Test func matchingIgnoresCase() {
    #expect(PermissionPattern.covers("/Twilio/Billing/*", "/twilio/billing/invoices/READ"))
  }

  @Test func narrowEntryDoesNotCoverWideQuery() {
    #expect(!PermissionPattern.covers("/twilio/billing/invoices/read", "/twilio/billing/*"))
    #expect(
      PermissionPattern.overlap(entry: "/twilio/billing/invoices/read", query: "/twilio/billing/*")
        == "/twilio/billing/invoices/read")
    #expect(
      PermissionPattern.overlap(entry: "/twilio/*", query: "/twilio/billing/x")
        == "/twilio/billing/x")
    #expect(PermissionPattern.overlap(entry: "/twilio/iam/x", query: "/twilio/billing/*") == nil)
  }

  @Test func groupIsFirstTwoSegments() {
    #expect(PermissionPattern.group(of: "/twilio/billing/invoices/read") == "/twilio/billing")
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

  @Test func grantsListsRolesWithTheMatchingAllowEntry() {
    let result = RoleAudit.grants("/twilio/billing/invoices/read", in: [viewer, admin, locked])
    #expect(result.granted.map(\.role.id) == ["IX01", "IX02"])
    #expect(result.granted[1].matchedAllow == ["/twilio/billing/*"])
    #expect(result.denied.map(\.role.id) == ["IX03"])
    #expect(result.denied[0].denyingEntries == ["/twilio/billing/*"])
  }

  @Test func denyOverridesAllow() {
    let result = RoleAudit.grants("/twilio/billing/payment-methods/update", in: [viewer, admin])
    #expect(result.granted.isEmpty)
    #expect(result.denied.map(\.role.id) == ["IX02"])
  }

  @Test func wildcardQueryFindsNarrowerEntries() {
    let result = RoleAudit.grants("/twilio/billing/*", in: [viewer, admin, locked])
    #expect(result.granted.map(\.role.id) == ["IX01", "IX02"])
    #expect(result.granted[0].matchedAllow.count == 2)
    #expect(result.denied.map(\.role.id) == ["IX03"])
  }

  @Test func diffSplitsOnlyBothAndConflicts() {
    let diff = RoleAudit.diff(viewer, admin)
    #expect(diff.onlyA == ["/twilio/billing/invoices/read", "/twilio/billing/receipts/list"])
    #expect(diff.onlyB == ["/twilio/billing/*", "/twilio/iam/users/read"])
    #expect(diff.both.isEmpty)
    #expect(diff.denyOnlyB == ["/twilio/billing/payment-methods/*"])
    let lockedDiff = RoleAudit.diff(viewer, locked)
    #expect(lockedDiff.both == ["/twilio/billing/invoices/read"])
    #expect(
      lockedDiff.conflicts.map(\.permission) == [
        "/twilio/billing/invoices/read", "/twilio/billing/receipts/list",
      ])
    #expect(lockedDiff.conflicts.allSatisfy { $0.deniedBy == "Locked Billing" })
  }

  @Test func matrixCountsRolesPerPermissionAndExcludesSelfDenied() {
    let rows = RoleAudit.matrix([viewer, admin, locked])
    let invoices = rows.first { $0.permission == "/twilio/billing/invoices/read" }
    #expect(invoices?.count == 1)
    #expect(invoices?.roles.map(\.id) == ["IX01"])
    #expect(rows.map(\.group).allSatisfy { $0.hasPrefix("/twilio/") })
    #expect(
      RoleAudit.matrix([viewer, admin, locked], filter: "iam").map(\.permission) == [
        "/twilio/iam/users/read"
      ])
    #expect(
      RoleAudit.matrix([viewer, admin], filter: "/twilio/*/list").map(\.permission)
        == ["/twilio/billing/receipts/list"])
  }

  @Test func findsRolesBySidNameOrUniquePrefix() {
    let roles = [viewer, admin, locked]
    #expect(RoleAudit.find("IX02", in: roles)?.name == "Billing Admin")
    #expect(RoleAudit.find("billing viewer", in: roles)?.id == "IX01")
    #expect(RoleAudit.find("Locked", in: roles)?.id == "IX03")
    #expect(RoleAudit.find("Billing", in: roles) == nil)
  }
}
