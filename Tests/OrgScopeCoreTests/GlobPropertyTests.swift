import OrgScopeCore
import Testing

/// The exact decision procedure against brute force: random globs of up to 6 characters
/// over {a, b, /, *}, and every string of up to 7 characters over {a, b, /, c} ("c" stands
/// for any character no glob writes). The brute force has its own matcher.
@Suite(.onWorkThreads) struct GlobPropertyTests {
  static let letters: [UInt8] = Array("ab/c".utf8)
  static let maxLength = 7

  /// Every string up to `maxLength`, shortest first.
  static let strings: [[UInt8]] = {
    var all: [[UInt8]] = [[]]
    var layer: [[UInt8]] = [[]]
    for _ in 0..<maxLength {
      layer = layer.flatMap { s in letters.map { s + [$0] } }
      all += layer
    }
    return all
  }()

  /// Dynamic-programming glob match, written apart from `Glob.matches`: bit i of the row
  /// says the pattern read so far matches the text's first i characters. `positions(c)`
  /// has bit i set where the text's character i is c.
  static func oracle(_ pattern: [UInt8], length: Int, positions: (UInt8) -> UInt32) -> Bool {
    let all: UInt32 = (1 << UInt32(length + 1)) - 1
    var row: UInt32 = 1
    for p in pattern {
      guard row != 0 else { return false }
      if p == UInt8(ascii: "*") {
        // Every length from the shortest matched one on.
        row = all & ~((row & (~row &+ 1)) &- 1)
      } else {
        row = (row & positions(p)) << 1
      }
    }
    return row & (1 << UInt32(length)) != 0
  }

  static func oracle(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
    precondition(text.count < 32)
    return oracle(pattern, length: text.count) { c in
      var same: UInt32 = 0
      for (i, t) in text.enumerated() where t == c { same |= 1 << UInt32(i) }
      return same
    }
  }

  /// Per string of `strings`, the positions of each of `letters`, four words a string.
  static let positions: [UInt32] = strings.flatMap { text in
    letters.map { letter in
      var same: UInt32 = 0
      for (i, t) in text.enumerated() where t == letter { same |= 1 << UInt32(i) }
      return same
    }
  }

  /// One pool for every test, built once: the brute force is the expensive part.
  static let pool: Pool = {
    var rng = SeededRandom(seed: 0x0A11_CE55)
    return Pool(count: 90, rng: &rng)
  }()

  /// A pool of globs with the strings each matches, as bit sets over `strings`.
  struct Pool {
    var globs: [String] = []
    var bits: [[UInt64]] = []

    init(count: Int, rng: inout SeededRandom) {
      let symbols = Array("ab/*")
      var seen = Set<String>()
      let star = UInt8(ascii: "*")
      while globs.count < count {
        let length = rng.next(7)  // 0...6
        let text = String((0..<length).map { _ in symbols[rng.next(4)] })
        guard seen.insert(text).inserted else { continue }
        globs.append(text)
        // The pattern as letter numbers; -1 for `*`.
        let pattern = text.utf8.map { c in c == star ? -1 : letters.firstIndex(of: c)! }
        var words = [UInt64](repeating: 0, count: (strings.count + 63) / 64)
        positions.withUnsafeBufferPointer { positions in
          for (i, s) in strings.enumerated() {
            let all: UInt32 = (1 << UInt32(s.count + 1)) - 1
            var row: UInt32 = 1
            for p in pattern where row != 0 {
              row = p < 0 ? all & ~((row & (~row &+ 1)) &- 1) : (row & positions[i * 4 + p]) << 1
            }
            if row & (1 << UInt32(s.count)) != 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
          }
        }
        bits.append(words)
      }
    }
  }

  static func union(_ sets: [[UInt64]], words: Int) -> [UInt64] {
    var out = [UInt64](repeating: 0, count: words)
    for set in sets { for w in 0..<words { out[w] |= set[w] } }
    return out
  }

  static func isEmpty(_ set: [UInt64]) -> Bool { set.allSatisfy { $0 == 0 } }

  static func minus(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { zip(a, b).map { $0 & ~$1 } }
  static func and(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] { zip(a, b).map { $0 & $1 } }

  @Test func witnessSearchAgreesWithBruteForce() async throws {
    var rng = SeededRandom(seed: 0x0A11_CE55)
    let pool = Self.pool
    let words = pool.bits[0].count
    var found = 0
    for round in 0..<1000 {
      // Long CPU work on the shared test threads: let the suite's servers answer meanwhile.
      if round % 50 == 0 { await Task.yield() }
      let positive = (0..<(1 + rng.next(3))).map { _ in rng.next(pool.globs.count) }
      let negative = (0..<rng.next(4)).map { _ in rng.next(pool.globs.count) }
      var set = [UInt64](repeating: ~0, count: words)
      for p in positive { set = Self.and(set, pool.bits[p]) }
      set = Self.minus(set, Self.union(negative.map { pool.bits[$0] }, words: words))
      let witness = try GlobSearch.witness(
        matching: positive.map { Glob(pool.globs[$0]) },
        avoiding: negative.map { Glob(pool.globs[$0]) })
      let described =
        "positive \(positive.map { pool.globs[$0] }) negative \(negative.map { pool.globs[$0] })"
      if let witness {
        found += 1
        let bytes = Array(witness.utf8)
        #expect(
          positive.allSatisfy { Self.oracle(Array(pool.globs[$0].utf8), bytes) },
          "witness \(witness) for \(described)")
        #expect(
          !negative.contains { Self.oracle(Array(pool.globs[$0].utf8), bytes) },
          "witness \(witness) for \(described)")
        // The search is breadth first: a shortest witness. Up to 7 characters the brute
        // force sees it too (with "c" for the character no glob writes).
        #expect(
          (witness.count <= Self.maxLength) == !Self.isEmpty(set),
          "witness \(witness) for \(described)")
      } else {
        #expect(Self.isEmpty(set), "no witness for \(described)")
      }
    }
    // Both answers occur often enough for the comparison to mean something.
    #expect(found > 200 && found < 900)
  }

  /// Brute-force coverage of `query` by a role, over the strings up to 7 characters.
  static func bruteCoverage(
    _ query: [UInt64], allow: [[UInt64]], deny: [[UInt64]], words: Int
  ) -> Coverage {
    let effective = Self.minus(Self.union(allow, words: words), Self.union(deny, words: words))
    if isEmpty(Self.and(query, effective)) { return .none }
    return isEmpty(Self.minus(query, effective)) ? .all : .some
  }

  @Test func coverageAgreesWithBruteForce() async throws {
    var rng = SeededRandom(seed: 0xC0FF_EE11)
    let pool = Self.pool
    let words = pool.bits[0].count
    var roles: [RolePolicy] = []
    var roleSets: [(allow: [[UInt64]], deny: [[UInt64]])] = []
    for r in 0..<30 {
      let allow = (0..<(1 + rng.next(3))).map { _ in rng.next(pool.globs.count) }
      let deny = (0..<rng.next(3)).map { _ in rng.next(pool.globs.count) }
      roles.append(
        RolePolicy(
          id: "R\(r)", name: "role \(r)", allow: allow.map { pool.globs[$0] },
          deny: deny.map { pool.globs[$0] }))
      roleSets.append((allow.map { pool.bits[$0] }, deny.map { pool.bits[$0] }))
    }
    func effective(_ role: RolePolicy, _ text: String) -> Bool {
      let bytes = Array(text.utf8)
      return role.allow.contains { Self.oracle(Array($0.utf8), bytes) }
        && !role.deny.contains { Self.oracle(Array($0.utf8), bytes) }
    }
    var index = PolicyIndex(roles)
    var seen: [Coverage: Int] = [:]
    var beyond = 0
    for q in pool.globs.indices.prefix(60) {
      await Task.yield()
      let id = index.intern(pool.globs[q])
      let query = Array(pool.globs[q].utf8)
      var answers: [String: Coverage] = [:]
      for r in roles.indices {
        let exact = try index.reach(id, role: r).coverage
        answers[roles[r].id] = exact
        seen[exact, default: 0] += 1
        let described = "query \(pool.globs[q]) allow \(roles[r].allow) deny \(roles[r].deny)"
        // The answer is what the plain product search shows, with examples the oracle
        // confirms...
        let (granted, notGranted) = try index.examples(id, role: r)
        let fromExamples: Coverage =
          granted == nil ? .none : (notGranted == nil ? .all : .some)
        #expect(exact == fromExamples, "\(described)")
        if let granted {
          #expect(Self.oracle(query, Array(granted.utf8)) && effective(roles[r], granted))
        }
        if let notGranted {
          #expect(Self.oracle(query, Array(notGranted.utf8)) && !effective(roles[r], notGranted))
        }
        // ...and the examples are shortest: one of up to 7 characters exists exactly when
        // the brute force finds one.
        let effectiveSet = Self.minus(
          Self.union(roleSets[r].allow, words: words), Self.union(roleSets[r].deny, words: words))
        let bruteInside = !Self.isEmpty(Self.and(pool.bits[q], effectiveSet))
        let bruteOutside = !Self.isEmpty(Self.minus(pool.bits[q], effectiveSet))
        #expect(((granted?.count ?? 99) <= Self.maxLength) == bruteInside, "\(described)")
        #expect(((notGranted?.count ?? 99) <= Self.maxLength) == bruteOutside, "\(described)")
        let brute = Self.bruteCoverage(
          pool.bits[q], allow: roleSets[r].allow, deny: roleSets[r].deny, words: words)
        if exact != brute { beyond += 1 }
      }
      // The grants answer is the same decision, role by role.
      let result = RoleAudit.grants(Glob(pool.globs[q]), in: &index)
      for grant in result.granted + result.overridden {
        #expect(grant.coverage == answers[grant.role.id])
      }
      #expect(result.granted.count == answers.values.count { $0 != .none })
    }
    #expect(seen[.all, default: 0] > 50)
    #expect(seen[.some, default: 0] > 50)
    #expect(seen[.none, default: 0] > 50)
    // Only a few answers need strings longer than the brute force tries.
    #expect(beyond < 60, "\(beyond)")
  }

  @Test func diffRelationAgreesWithBruteForce() async {
    var rng = SeededRandom(seed: 0xD1FF)
    let pool = Self.pool
    let words = pool.bits[0].count
    var relations: [RoleAudit.Relation: Int] = [:]
    for round in 0..<500 {
      if round % 50 == 0 { await Task.yield() }
      func role(_ name: String) -> (RolePolicy, [UInt64]) {
        // Small lists from a small part of the pool, so that equal and within occur.
        let allow = (0..<(1 + rng.next(3))).map { _ in rng.next(12) }
        let deny = (0..<rng.next(2)).map { _ in rng.next(pool.globs.count) }
        let set = Self.minus(
          Self.union(allow.map { pool.bits[$0] }, words: words),
          Self.union(deny.map { pool.bits[$0] }, words: words))
        return (
          RolePolicy(
            id: name, name: name, allow: allow.map { pool.globs[$0] },
            deny: deny.map { pool.globs[$0] }), set
        )
      }
      let (a, setA) = role("A")
      let (b, setB) = role("B")
      let diff = RoleAudit.diff(a, b)
      relations[diff.relation, default: 0] += 1
      let aOnly = !Self.isEmpty(Self.minus(setA, setB))
      let bOnly = !Self.isEmpty(Self.minus(setB, setA))
      let described = "A \(a.allow)-\(a.deny) B \(b.allow)-\(b.deny)"
      // A difference the brute force sees is always found; one it does not see must come
      // with an example longer than it looks, checked by the oracle.
      if aOnly { #expect(diff.onlyA != nil, "\(described)") }
      if bOnly { #expect(diff.onlyB != nil, "\(described)") }
      for (example, inSet, notSet) in [(diff.onlyA, a, b), (diff.onlyB, b, a)] {
        guard let example else { continue }
        let bytes = Array(example.utf8)
        func effective(_ role: RolePolicy) -> Bool {
          role.allow.contains { Self.oracle(Array($0.utf8), bytes) }
            && !role.deny.contains { Self.oracle(Array($0.utf8), bytes) }
        }
        #expect(effective(inSet) && !effective(notSet), "example \(example) for \(described)")
        if example.count <= Self.maxLength {
          #expect(inSet.id == "A" ? aOnly : bOnly, "\(described)")
        }
      }
    }
    #expect(relations.count == 4, "every verdict occurs: \(relations)")
  }
}

extension SeededRandom {
  /// 0..<bound
  mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
