import OrgScopeCore
import Testing

/// Issue 19: what the audit quotes for a role is that role's own entry as written, and every
/// deny entry that takes part of the query away from a role is listed.
@Suite(.onWorkThreads) struct AuditEvidenceTests {
  typealias P = GlobPropertyTests

  /// The trial's roles: the same permission in two spellings, and a role that allows and
  /// denies the same permission while another allow entry still grants the rest.
  static let trialRoles = [
    RolePolicy(id: "IX1", name: "Shouting", allow: ["/Twilio/IAM/Users/Delete"], deny: []),
    RolePolicy(id: "IX2", name: "Quiet", allow: ["/twilio/iam/users/delete"], deny: []),
    RolePolicy(
      id: "IX3", name: "Half", allow: ["/twilio/iam/accounts/delete", "/twilio/billing/*"],
      deny: ["/twilio/iam/accounts/delete", "/twilio/voice/*"]),
  ]

  @Test func eachRoleIsQuotedInItsOwnSpelling() {
    for query in ["/twilio/*/delete", "/twilio/iam/users/delete"] {
      let result = RoleAudit.grants(Glob(query), in: Self.trialRoles)
      let quiet = result.granted.first { $0.role.id == "IX2" }
      #expect(quiet?.allow == ["/twilio/iam/users/delete"], "\(query)")
      let shouting = result.granted.first { $0.role.id == "IX1" }
      #expect(shouting?.allow == ["/Twilio/IAM/Users/Delete"], "\(query)")
    }
  }

  @Test func aDenyThatTakesAllOfOneAllowEntryIsListedForAGrantingRole() {
    let result = RoleAudit.grants(Glob("/twilio/*/delete"), in: Self.trialRoles)
    let half = result.granted.first { $0.role.id == "IX3" }
    #expect(half?.coverage == .some)
    #expect(half?.deny == ["/twilio/iam/accounts/delete"])
    #expect(half?.denyTakesAll == [false])
    let text = AuditReport.text(result, width: nil)
    #expect(text.contains("denies /twilio/iam/accounts/delete: part of it"), "\(text)")
    #expect(AuditReport.csv(result).contains("/twilio/iam/accounts/delete"))
  }

  @Test func diffAndMatrixQuoteEntriesAsWritten() {
    let diff = RoleAudit.diff(Self.trialRoles[0], Self.trialRoles[2])
    let written = Set(Self.trialRoles[0].allow + Self.trialRoles[2].allow + Self.trialRoles[2].deny)
    #expect(!diff.differences.isEmpty)
    for difference in diff.differences { #expect(written.contains(difference.permission)) }
    var index = PolicyIndex(Self.trialRoles)
    let matrix = RoleAudit.matrix(&index)
    let everyEntry = Set(Self.trialRoles.flatMap { $0.allow + $0.deny })
    for row in matrix.rows { #expect(everyEntry.contains(row.permission), "\(row.permission)") }
    // One row per permission, whatever its spellings.
    #expect(matrix.rows.count == 4)
  }

  /// Random roles over the property tests' pool, each letter's case flipped at random, so
  /// that most patterns are written in several spellings across roles.
  @Test func everyQuoteIsTheRolesOwnAndEveryCuttingDenyIsListed() async {
    var rng = SeededRandom(seed: 0xE71D_E9CE)
    let pool = P.pool
    let words = pool.bits[0].count
    func spelled(_ text: String) -> String {
      String(text.map { $0.isLetter && rng.next(2) == 0 ? Character($0.uppercased()) : $0 })
    }
    var roles: [RolePolicy] = []
    var sets: [(allow: [Int], deny: [Int])] = []
    for r in 0..<40 {
      // A small part of the pool, so that roles share patterns.
      let allow = (0..<(1 + rng.next(3))).map { _ in rng.next(24) }
      let deny = (0..<rng.next(4)).map { _ in rng.next(24) }
      roles.append(
        RolePolicy(
          id: "R\(r)", name: "role \(r)", allow: allow.map { spelled(pool.globs[$0]) },
          deny: deny.map { spelled(pool.globs[$0]) }))
      sets.append((allow, deny))
    }
    var index = PolicyIndex(roles)
    var listedDenies = 0
    var partly = 0
    for q in pool.globs.indices.prefix(40) {
      await Task.yield()
      let query = spelled(pool.globs[q])
      let result = RoleAudit.grants(Glob(query), in: &index)
      for grant in result.granted + result.overridden {
        let r = roles.firstIndex { $0.id == grant.role.id }!
        let role = roles[r]
        for entry in grant.allow { #expect(role.allow.contains(entry), "\(entry) of \(role)") }
        for entry in grant.deny { #expect(role.deny.contains(entry), "\(entry) of \(role)") }
        #expect(grant.denyTakesAll.count == grant.deny.count)
        let allowSet = P.union(sets[r].allow.map { pool.bits[$0] }, words: words)
        let reachable = P.and(pool.bits[q], allowSet)
        // Compared by key: `a**` and `a*` are one pattern, listed once.
        let listed = Set(grant.deny.map { Glob($0).key })
        for d in Set(sets[r].deny) {
          let cut = P.and(reachable, pool.bits[d])
          let folded = Glob(pool.globs[d]).key
          let described = "query \(query) role \(role.allow) - \(role.deny), deny \(folded)"
          // Complete: a cut the brute force sees is listed.
          if !P.isEmpty(cut) { #expect(listed.contains(folded), "\(described)") }
          guard listed.contains(folded) else { continue }
          listedDenies += 1
          // Sound: a listed entry has a permission in Q ∩ D ∩ (∪ allow), checked by the
          // oracle.
          let witness =
            sets[r].allow.lazy.compactMap {
              try? GlobSearch.witness(
                matching: [Glob(pool.globs[q]), Glob(folded), Glob(pool.globs[$0])], avoiding: [])
            }.first ?? nil
          #expect(witness != nil, "\(described)")
          if let witness {
            let bytes = Array(witness.utf8)
            #expect(P.oracle(Array(pool.globs[q].utf8), bytes), "\(described)")
            #expect(P.oracle(Array(folded.utf8), bytes), "\(described)")
            #expect(
              sets[r].allow.contains { P.oracle(Array(pool.globs[$0].utf8), bytes) },
              "\(described)")
          }
          // "All of it" exactly when the brute force finds nothing of Q ∩ allow outside D
          // (one way: the exact answer may see past 7 characters).
          let k = grant.deny.firstIndex { Glob($0).key == folded }!
          if !grant.denyTakesAll[k] { partly += 1 }
          if grant.denyTakesAll[k] {
            #expect(P.isEmpty(P.minus(reachable, pool.bits[d])), "\(described)")
          }
        }
      }
    }
    #expect(listedDenies > 50, "\(listedDenies)")
    #expect(partly > 10, "\(partly)")
  }
}
