/// How much of a query a role's effective permissions reach. A role's effective
/// permissions are E = (union of its allow entries) minus (union of its deny entries).
public enum Coverage: String, Sendable, Hashable, Comparable {
  /// Q and E share no string.
  case none
  /// Q and E share at least one string, but not every one.
  case some
  /// Every string Q matches is in E.
  case all
  /// Deciding it would take more than the audit's bounds (`PolicyIndex`): not guessed.
  case undecided

  private var rank: Int {
    switch self {
    case .none: 0
    case .undecided: 1
    case .some: 2
    case .all: 3
    }
  }
  public static func < (a: Coverage, b: Coverage) -> Bool { a.rank < b.rank }
}

/// The audit questions: who grants a query, how two roles relate, and every written entry
/// against every role. Decided exactly on the patterns (see `PolicyIndex`).
public enum RoleAudit {
  /// One role's answer to "who grants QUERY".
  public struct RoleGrant: Sendable, Hashable {
    public var role: RolePolicy
    /// `.all` or `.some` for a granting role, `.none` for an overridden one.
    public var coverage: Coverage
    /// The allow entries that reach the query (for an overridden role: that would).
    public var allow: [String]
    /// The role's deny entries that take strings of the query away from it: every deny
    /// entry D with Q ∩ D ∩ (∪ allow) non-empty.
    public var deny: [String]
    /// Per entry of `deny`: whether it alone takes all the role's allow entries grant of the
    /// query ("all of it"), not only part.
    public var denyTakesAll: [Bool] = []
  }

  /// A role whose answer would take more than the audit's bounds.
  public struct Undecided: Sendable, Hashable {
    public var role: RolePolicy
    /// Why: "too complex to decide (50,000 states)".
    public var reason: String
  }

  public struct GrantsResult: Sendable, Hashable {
    public var query: String
    /// Roles that grant all or some of it: all first, then by name.
    public var granted: [RoleGrant]
    /// Roles whose allow entries meet it but whose own deny entries take all of it away.
    public var overridden: [RoleGrant]
    /// Roles too complex to decide within the bounds, by name: neither counted as granting
    /// nor as not.
    public var undecided: [Undecided] = []

    public var allCount: Int { granted.count { $0.coverage == .all } }
    public var someCount: Int { granted.count { $0.coverage == .some } }

    /// "N roles grant all of it, M some, K are denied by their own deny list".
    public var summary: String {
      func roles(_ n: Int) -> String { n == 1 ? "1 role grants" : "\(n.formatted) roles grant" }
      let denied =
        overridden.count == 1
        ? "1 is denied by its own deny list"
        : "\(overridden.count.formatted) are denied by their own deny list"
      let text = "\(roles(allCount)) all of it, \(someCount.formatted) some, \(denied)"
      guard !undecided.isEmpty else { return text }
      let verb = undecided.count == 1 ? "is" : "are"
      return text + ", \(undecided.count.formatted) \(verb) too complex to decide"
    }
  }

  /// Every role's coverage of `query`; roles that reach none of it are left out unless
  /// their own deny list is why.
  public static func grants(_ query: Glob, in index: inout PolicyIndex) -> GrantsResult {
    let q = index.intern(query.text)
    index.beginQuestion()
    let row = index.meetsRow(q)
    var granted: [RoleGrant] = []
    var overridden: [RoleGrant] = []
    var undecided: [Undecided] = []
    for role in index.roles.indices {
      let reach: PolicyIndex.Reach
      let allow: [Int]
      let deny: [Int]
      var takesAll: [Bool] = []
      do {
        try index.begin(role: role)
        reach = try index.reach(q, role: role, row: row)
        if reach.meetingAllow.isEmpty { continue }
        (allow, deny) = try index.explain(q, role: role, reach: reach)
        for d in deny { takesAll.append(try index.takesAll(q, deny: d, reach: reach)) }
      } catch {
        undecided.append(Undecided(role: index.roles[role], reason: error.description))
        continue
      }
      // Quoted as this role wrote them, never in another role's spelling.
      let grant = RoleGrant(
        role: index.roles[role], coverage: reach.coverage,
        allow: index.written(allow, role: role), deny: index.written(deny, role: role, deny: true),
        denyTakesAll: takesAll)
      if reach.coverage == .none {
        overridden.append(
          RoleGrant(
            role: grant.role, coverage: .none,
            allow: index.written(reach.meetingAllow, role: role), deny: grant.deny,
            denyTakesAll: takesAll))
      } else {
        granted.append(grant)
      }
    }
    // All first, then by name: the keys made once, not in every comparison.
    func sorted(_ list: [RoleGrant]) -> [RoleGrant] {
      let keys = list.map { ($0.coverage == .all ? 0 : 1, $0.role.name.lowercased(), $0.role.id) }
      return keys.indices.sorted { keys[$0] < keys[$1] }.map { list[$0] }
    }
    granted = sorted(granted)
    overridden = sorted(overridden)
    undecided.sort {
      ($0.role.name.lowercased(), $0.role.id) < ($1.role.name.lowercased(), $1.role.id)
    }
    return GrantsResult(
      query: query.text, granted: granted, overridden: overridden, undecided: undecided)
  }

  public static func grants(_ query: Glob, in roles: [RolePolicy]) -> GrantsResult {
    var index = PolicyIndex(roles)
    return grants(query, in: &index)
  }

  /// How two roles' effective permissions relate.
  public enum Relation: String, Sendable, Hashable {
    case equal
    case aWithinB = "a_within_b"
    case bWithinA = "b_within_a"
    case incomparable
    /// Too complex to decide within the audit's bounds (`DiffResult.undecidedReason`).
    case undecided
  }

  /// An entry written in either role whose coverage differs between the two.
  public struct Difference: Sendable, Hashable {
    public var permission: String
    public var a: Coverage
    public var b: Coverage
  }

  public struct DiffResult: Sendable, Hashable {
    public var a: RolePolicy
    public var b: RolePolicy
    public var relation: Relation
    /// A permission only A grants, and one only B grants (shortest found), when there is one.
    public var onlyA: String?
    public var onlyB: String?
    public var differences: [Difference]
    /// Why the relation is `.undecided`.
    public var undecidedReason: String? = nil

    /// The verdict in words.
    public var verdict: String {
      let a = "\"\(self.a.name)\""
      let b = "\"\(self.b.name)\""
      switch relation {
      case .equal: return "\(a) and \(b) grant exactly the same permissions"
      case .aWithinB: return "\(a) grants nothing that \(b) does not (\(b) grants more)"
      case .bWithinA: return "\(b) grants nothing that \(a) does not (\(a) grants more)"
      case .incomparable: return "\(a) and \(b) each grant something the other does not"
      case .undecided:
        return "\(a) and \(b): \(undecidedReason ?? TooComplex("no answer").description)"
      }
    }
  }

  public static func diff(_ a: RolePolicy, _ b: RolePolicy) -> DiffResult {
    var index = PolicyIndex([a, b])
    index.beginQuestion()
    let onlyA: String?
    let onlyB: String?
    do {
      try index.begin(role: 0)
      try index.begin(role: 1)
      onlyA = try index.grantedOnly(by: 0, not: 1)
      onlyB = try index.grantedOnly(by: 1, not: 0)
    } catch {
      return DiffResult(
        a: a, b: b, relation: .undecided, onlyA: nil, onlyB: nil, differences: [],
        undecidedReason: error.description)
    }
    let relation: Relation =
      switch (onlyA == nil, onlyB == nil) {
      case (true, true): .equal
      case (true, false): .aWithinB
      case (false, true): .bWithinA
      case (false, false): .incomparable
      }
    var seen = Set<String>()
    var differences: [Difference] = []
    var keys: [String] = []
    for entry in a.allow + a.deny + b.allow + b.deny {
      let id = index.intern(entry)
      let key = index.glob(id).key
      guard seen.insert(key).inserted else { continue }
      let ca = (try? index.reach(id, role: 0).coverage) ?? .undecided
      let cb = (try? index.reach(id, role: 1).coverage) ?? .undecided
      // Quoted as written (A's spelling when both write it), ordered by the folded key.
      if ca != cb {
        differences.append(Difference(permission: entry, a: ca, b: cb))
        keys.append(key)
      }
    }
    differences = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }.map { differences[$0] }
    return DiffResult(
      a: a, b: b, relation: relation, onlyA: onlyA, onlyB: onlyB, differences: differences)
  }

  /// One row of the matrix: a written entry and every role's coverage of it.
  public struct MatrixRow: Sendable, Hashable {
    public var permission: String
    public var cells: [Coverage]
    public var grantedBy: Int { cells.count { $0 == .all } }
    public var partlyBy: Int { cells.count { $0 == .some } }
  }

  public struct Matrix: Sendable, Hashable {
    public var roles: [RolePolicy]
    public var rows: [MatrixRow]
  }

  /// Rows are the entries written in any role's policy (allow or deny, case folded,
  /// deduplicated, sorted); cells are each role's coverage. `filter` keeps rows containing
  /// it (ASCII case ignored) or, when it has a `*`, rows that share a permission with it.
  /// `columns`, when given, picks the roles shown (rows still come from every role).
  public static func matrix(
    _ index: inout PolicyIndex, filter: String = "", columns: [Int]? = nil
  ) -> Matrix {
    let shown = columns ?? Array(index.roles.indices)
    var entries: [Int] = []
    // Each row as the first role that writes it wrote it (never a folded spelling no role
    // wrote).
    var text: [Int: String] = [:]
    for role in index.roles.indices {
      for id in index.allowIDs[role] + index.denyIDs[role] where text[id] == nil {
        text[id] = index.written(id, role: role)
        entries.append(id)
      }
    }
    let needle = filter.lowercased()
    if !needle.isEmpty {
      if needle.contains("*") {
        let f = index.intern(filter)
        index.beginQuestion()
        // A pattern too complex to compare with the filter is kept (its cells say so).
        entries = entries.filter { (try? index.meets(f, $0)) ?? true }
      } else {
        entries = entries.filter { index.glob($0).key.contains(needle) }
      }
    }
    // Sorted by the folded key, made once per entry (not in every comparison).
    var keys: [Int: String] = [:]
    for entry in entries { keys[entry] = index.glob(entry).key }
    entries.sort { (keys[$0] ?? "", $0) < (keys[$1] ?? "", $1) }
    index.beginQuestion()
    // Per shown role, its entries split into single strings (found by id: two spellings of
    // one string share it) and patterns with `*` (matched one by one).
    struct Plan {
      var literalAllow = Set<Int>()
      var wildAllow: [Int] = []
      var literalDeny = Set<Int>()
      var wildDeny: [Int] = []
      var tooLarge = false
    }
    var plans: [Plan] = []
    var used = Set<Int>()
    for role in shown {
      var plan = Plan()
      plan.tooLarge = index.tooLarge(role) != nil
      for id in index.allowIDs[role] {
        if index.glob(id).hasWildcard {
          plan.wildAllow.append(id)
        } else {
          plan.literalAllow.insert(id)
        }
      }
      for id in index.denyIDs[role] {
        if index.glob(id).hasWildcard {
          plan.wildDeny.append(id)
        } else {
          plan.literalDeny.insert(id)
        }
      }
      used.formUnion(index.allowIDs[role])
      used.formUnion(index.denyIDs[role])
      plans.append(plan)
    }
    let usedIDs = used.sorted()
    var rows: [MatrixRow] = []
    rows.reserveCapacity(entries.count)
    for entry in entries {
      let permission = text[entry] ?? index.glob(entry).text
      guard !index.questionBudgetSpent else {
        // Past the question's budget every cell left is said to be undecided, not computed.
        rows.append(
          MatrixRow(
            permission: permission, cells: [Coverage](repeating: .undecided, count: shown.count)))
        continue
      }
      let glob = index.glob(entry)
      if !glob.hasWildcard {
        // One string: granted exactly when an allow entry matches it and no deny entry does.
        let text = glob.text
        var work = 0
        let cells = plans.map { plan -> Coverage in
          if plan.tooLarge { return .undecided }
          work += (plan.wildAllow.count + plan.wildDeny.count) * 100
          let allowed =
            plan.literalAllow.contains(entry)
            || plan.wildAllow.contains { index.glob($0).matches(text) }
          guard allowed else { return .none }
          let denied =
            plan.literalDeny.contains(entry)
            || plan.wildDeny.contains { index.glob($0).matches(text) }
          return denied ? .none : .all
        }
        index.charge(work + 1)
        rows.append(MatrixRow(permission: permission, cells: cells))
        continue
      }
      // A pattern: which entries of the shown roles it meets, then each role's coverage.
      var row = [Bool?](repeating: false, count: index.globs.count)
      for id in usedIDs { row[id] = try? index.meets(entry, id) }
      index.charge(usedIDs.count * 100)
      rows.append(
        MatrixRow(
          permission: permission, cells: shown.map { index.coverage(entry, role: $0, row: row) }))
    }
    return Matrix(roles: shown.map { index.roles[$0] }, rows: rows)
  }

  /// What the detail pane says about one role's own entries: which deny entries cut into
  /// each allow entry (and whether they take all of it), and which allow entries each deny
  /// entry cuts.
  public struct EntryNote: Sendable, Hashable {
    public var entry: String
    public var isDeny: Bool
    /// For an allow entry: the deny entries that meet it. For a deny entry: the allow
    /// entries it meets.
    public var others: [String]
    /// The entries of the other kind for which whether they meet this one is too complex
    /// to decide: neither claimed to meet it nor claimed not to.
    public var undecided: [String] = []
    /// For an allow entry: whether the deny entries take every string of it; nil when that
    /// is too complex to decide.
    public var fully: Bool? = false
    /// For the whole role: why its notes are too complex to decide (its entries were not
    /// looked at one by one); the other fields are then empty.
    public var tooComplex: String? = nil
  }

  /// Each entry's note, decided on the patterns; where a question is past the audit's
  /// bounds the note says so (`undecided`, `fully` nil, `tooComplex`), it never guesses.
  public static func notes(for role: RolePolicy) -> [EntryNote] {
    var index = PolicyIndex([role])
    index.beginQuestion()
    var notes: [EntryNote] = []
    if let reason = index.tooLarge(0) {
      return [
        EntryNote(
          entry: "", isDeny: false, others: [], fully: nil,
          tooComplex: TooComplex(reason).description)
      ]
    }
    /// The entries of `others` that meet `entry`, and those too complex to tell.
    func split(_ entry: Int, _ others: [Int]) -> (meets: [Int], undecided: [Int]) {
      var meets: [Int] = []
      var undecided: [Int] = []
      for other in others {
        switch try? index.meets(entry, other) {
        case true?: meets.append(other)
        case nil: undecided.append(other)
        case false?: break
        }
      }
      return (meets, undecided)
    }
    for a in index.allowIDs[0] {
      let (deny, undecided) = split(a, index.denyIDs[0])
      var fully: Bool? = false
      if !deny.isEmpty || !undecided.isEmpty {
        // One deny entry alone often takes all of it: exact, and cheap next to the product
        // of them all (which the hostile roles make exponential).
        if deny.contains(where: { (try? index.exists([a], avoiding: [$0])) == false }) {
          fully = true
        } else {
          fully = (try? index.exists([a], avoiding: deny + undecided)).map { !$0 }
        }
      }
      notes.append(
        EntryNote(
          entry: index.written(a, role: 0), isDeny: false,
          others: index.written(deny, role: 0, deny: true),
          undecided: index.written(undecided, role: 0, deny: true), fully: fully))
    }
    for d in index.denyIDs[0] {
      let (allow, undecided) = split(d, index.allowIDs[0])
      notes.append(
        EntryNote(
          entry: index.written(d, role: 0, deny: true), isDeny: true,
          others: index.written(allow, role: 0), undecided: index.written(undecided, role: 0),
          fully: false))
    }
    return notes
  }
}

extension Int {
  /// `4,210`: thousands separated by commas, independent of the locale.
  public var formatted: String {
    let digits = String(self.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return self < 0 ? "-" + result : result
  }
}
