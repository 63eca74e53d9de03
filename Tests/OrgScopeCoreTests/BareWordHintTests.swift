import OrgScopeCore
import Testing

/// `roles grants billing`: a bare word is one literal permission; when only `*` entries
/// reach it, the answer says how to look for the word instead.
@Suite struct BareWordHintTests {
  let roles = [
    RolePolicy(id: "IX1", name: "Billing Viewer", allow: ["/twilio/billing/*/read"], deny: []),
    RolePolicy(id: "IX2", name: "Voice", allow: ["/twilio/voice/*"], deny: []),
    RolePolicy(id: "IX4", name: "Owner", allow: ["*"], deny: []),
  ]

  @Test func aBareWordOnlyStarsReachGetsAHint() {
    let owner = RoleAudit.grants(Glob("billing"), in: roles)
    #expect(owner.granted.map(\.role.id) == ["IX4"])
    #expect(
      owner.bareWordHint
        == #"no permission is written like "billing"; try "*billing*" or "/twilio/billing/*""#)
    // Nothing at all reached it: the same hint.
    #expect(RoleAudit.grants(Glob("billing"), in: Array(roles[0...1])).bareWordHint != nil)
    // An entry written like it: no hint.
    let written = roles + [RolePolicy(id: "IX5", name: "B", allow: ["bill*"], deny: [])]
    #expect(RoleAudit.grants(Glob("billing"), in: written).bareWordHint == nil)
    // A path or a pattern: no hint.
    #expect(RoleAudit.grants(Glob("/twilio/billing"), in: roles).bareWordHint == nil)
    #expect(RoleAudit.grants(Glob("*billing*"), in: roles).bareWordHint == nil)
  }
}
