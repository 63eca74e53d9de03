import OrgScopeCore
import Testing

/// The people audit against brute force: random roles over the glob property tests' pool,
/// random people holding them in random scopes (the organization, two accounts; a role that
/// does not exist), every answer recomputed from the sets of strings each pattern matches.
@Suite(.onWorkThreads) struct PeoplePropertyTests {
  typealias P = GlobPropertyTests

  struct Expected: Equatable, CustomStringConvertible {
    var coverage: String
    var via: Set<String>
    var contested: Set<String>
    var description: String { "\(coverage) via \(via.sorted()) contested \(contested.sorted())" }
  }

  @Test func whoCanByPersonAgreesWithBruteForce() async {
    var rng = SeededRandom(seed: 0x9E0_97E5)
    let pool = P.pool
    let words = pool.bits[0].count
    // Short patterns: every answer is decided by a string the brute force enumerates.
    let small = pool.globs.indices.filter { pool.globs[$0].count <= 4 }
    let scopes = ["OR0", "AC1", "AC2"]
    var seen: [String: Int] = [:]
    for round in 0..<300 {
      if round % 20 == 0 { await Task.yield() }
      var roles: [RolePolicy] = []
      var sets: [(allow: [UInt64], deny: [[UInt64]], denyText: [String], written: [Int])] = []
      for r in 0..<6 {
        let allow = (0..<(1 + rng.next(2))).map { _ in small[rng.next(small.count)] }
        let deny = (0..<rng.next(3)).map { _ in small[rng.next(small.count)] }
        roles.append(
          RolePolicy(
            id: "IX\(r)", name: "role \(r)", allow: allow.map { pool.globs[$0] },
            deny: deny.map { pool.globs[$0] }))
        sets.append(
          (
            P.union(allow.map { pool.bits[$0] }, words: words), deny.map { pool.bits[$0] },
            deny.map { pool.globs[$0] }, allow
          ))
      }
      var people: [Person] = []
      var assignments: [RoleAssignment] = []
      for u in 0..<8 {
        people.append(
          Person(sid: "US\(u)", userName: "u\(u)", displayName: "", active: rng.next(5) != 0))
        for k in 0..<rng.next(4) {
          let role = rng.next(7)  // 6: a role that does not exist
          assignments.append(
            RoleAssignment(
              sid: "IY\(u)-\(k)", roleSID: "IX\(role)", scope: scopes[rng.next(3)],
              identity: "US\(u)"))
        }
      }
      let q = small[rng.next(small.count)]
      let query = pool.bits[q]
      let account = [nil, "AC1", "AC2"][rng.next(3)]
      let directory = PeopleDirectory(people: people, assignments: assignments)
      let result = PeopleAudit.whoCan(
        Glob(pool.globs[q]), people: directory, roles: roles, account: account)

      // Brute force.
      func effective(_ r: Int) -> [UInt64] {
        P.minus(sets[r].allow, P.union(sets[r].deny, words: words))
      }
      func coverage(_ r: Int) -> Coverage {
        let e = effective(r)
        if P.isEmpty(P.and(query, e)) { return .none }
        return P.isEmpty(P.minus(query, e)) ? .all : .some
      }
      func overridden(_ r: Int) -> Bool {
        coverage(r) == .none && !P.isEmpty(P.and(query, sets[r].allow))
      }
      var expected: [String: Expected] = [:]
      var missing = 0
      for person in people {
        var applying: [(role: Int, scope: String)] = []
        for a in assignments where a.identity == person.sid {
          let r = Int(a.roleSID.dropFirst(2))!
          if r >= roles.count {
            missing += 1
            continue
          }
          if let account, a.scope != "OR0", a.scope != account { continue }
          applying.append((r, a.scope))
        }
        let best = applying.map { coverage($0.role) }.max() ?? .none
        if best == .all || best == .some {
          var contested = Set<String>()
          for grant in applying where coverage(grant.role) >= .some {
            let granted = P.and(query, effective(grant.role))
            for other in applying where other.role != grant.role {
              guard other.scope == grant.scope || other.scope == "OR0" || grant.scope == "OR0"
              else { continue }
              for (k, d) in sets[other.role].deny.enumerated()
              where !P.isEmpty(P.and(granted, d)) {
                contested.insert("IX\(other.role)@\(other.scope): \(sets[other.role].denyText[k])")
              }
            }
          }
          expected[person.sid] = Expected(
            coverage: best.rawValue,
            via: Set(
              applying.filter { coverage($0.role) >= .some }.map {
                "IX\($0.role)@\($0.scope): \(coverage($0.role).rawValue)"
              }),
            contested: contested)
        } else if applying.contains(where: { overridden($0.role) }) {
          expected[person.sid] = Expected(
            coverage: "overridden",
            via: Set(
              applying.filter { overridden($0.role) }.map { "IX\($0.role)@\($0.scope): none" }),
            contested: [])
        }
      }

      var actual: [String: Expected] = [:]
      for answer in result.users + result.overridden {
        actual[answer.person.sid] = Expected(
          coverage: answer.coverage == .none ? "overridden" : answer.coverage.rawValue,
          via: Set(answer.via.map { "\($0.roleSID)@\($0.scope): \($0.coverage.rawValue)" }),
          contested: Set(
            answer.contestedBy.flatMap { c in c.deny.map { "\(c.roleSID)@\(c.scope): \($0)" } }))
      }
      #expect(result.undecided.isEmpty)
      #expect(result.missingRoles.count == missing)
      let described =
        "query \(pool.globs[q]) account \(account ?? "-") roles \(roles.map { "\($0.allow)-\($0.deny)" })"
      for sid in Set(expected.keys).union(actual.keys) {
        #expect(actual[sid] == expected[sid], "\(sid): \(described)")
      }
      for value in expected.values {
        seen[value.coverage, default: 0] += 1
        if !value.contested.isEmpty { seen["contested", default: 0] += 1 }
      }
    }
    // Every kind of answer occurs often enough for the comparison to mean something.
    for kind in ["all", "some", "overridden", "contested"] {
      #expect(seen[kind, default: 0] > 40, "\(kind): \(seen)")
    }
  }
}
