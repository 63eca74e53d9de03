/// How much of a query a role's effective permissions reach. A role's effective
/// permissions are E = (union of its allow entries) minus (union of its deny entries).
public enum Coverage: String, Sendable, Hashable, Comparable {
  /// Q and E share no string.
  case none
  /// Q and E share at least one string, but not every one.
  case some
  /// Every string Q matches is in E.
  case all

  private var rank: Int {
    switch self {
    case .none: 0
    case .some: 1
    case .all: 2
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

  public struct GrantsResult: Sendable, Hashable {
    public var query: String
    /// Roles that grant all or some of it: all first, then by name.
    public var granted: [RoleGrant]
    /// Roles whose allow entries meet it but whose own deny entries take all of it away.
    public var overridden: [RoleGrant]

    public var allCount: Int { granted.count { $0.coverage == .all } }
    public var someCount: Int { granted.count { $0.coverage == .some } }

    /// "N roles grant all of it, M some, K are denied by their own deny list".
    public var summary: String {
      func roles(_ n: Int) -> String { n == 1 ? "1 role grants" : "\(n.formatted) roles grant" }
      let denied =
        overridden.count == 1
        ? "1 is denied by its own deny list"
        : "\(overridden.count.formatted) are denied by their own deny list"
      return "\(roles(allCount)) all of it, \(someCount.formatted) some, \(denied)"
    }
  }

  /// Every role's coverage of `query`; roles that reach none of it are left out unless
  /// their own deny list is why.
  public static func grants(_ query: Glob, in index: inout PolicyIndex) -> GrantsResult {
    let q = index.intern(query.text)
    let row = index.meetsRow(q)
    var granted: [RoleGrant] = []
    var overridden: [RoleGrant] = []
    for role in index.roles.indices {
      let reach = index.reach(q, role: role, row: row)
      if reach.meetingAllow.isEmpty { continue }
      let (allow, deny) = index.explain(q, role: role, reach: reach)
      // Quoted as this role wrote them, never in another role's spelling.
      let takesAll = deny.map { d in
        !reach.meetingAllow.contains { a in index.exists([q, a], avoiding: [d]) }
      }
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
    return GrantsResult(query: query.text, granted: granted, overridden: overridden)
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

    /// The verdict in words.
    public var verdict: String {
      let a = "\"\(self.a.name)\""
      let b = "\"\(self.b.name)\""
      switch relation {
      case .equal: return "\(a) and \(b) grant exactly the same permissions"
      case .aWithinB: return "\(a) grants nothing that \(b) does not (\(b) grants more)"
      case .bWithinA: return "\(b) grants nothing that \(a) does not (\(a) grants more)"
      case .incomparable: return "\(a) and \(b) each grant something the other does not"
      }
    }
  }

  public static func diff(_ a: RolePolicy, _ b: RolePolicy) -> DiffResult {
    var index = PolicyIndex([a, b])
    let onlyA = index.grantedOnly(by: 0, not: 1)
    let onlyB = index.grantedOnly(by: 1, not: 0)
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
      let ca = index.reach(id, role: 0).coverage
      let cb = index.reach(id, role: 1).coverage
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
        entries = entries.filter { index.meets(f, $0) }
      } else {
        entries = entries.filter { index.glob($0).key.contains(needle) }
      }
    }
    entries.sort { index.glob($0).key < index.glob($1).key }
    var rows: [MatrixRow] = []
    rows.reserveCapacity(entries.count)
    for entry in entries {
      let row = index.meetsRow(entry)
      rows.append(
        MatrixRow(
          permission: text[entry] ?? index.glob(entry).text,
          cells: shown.map { index.coverage(entry, role: $0, row: row) }))
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
    /// For an allow entry: the deny entries take every string of it.
    public var fully: Bool
  }

  public static func notes(for role: RolePolicy) -> [EntryNote] {
    var index = PolicyIndex([role])
    var notes: [EntryNote] = []
    for a in index.allowIDs[0] {
      let deny = index.denyIDs[0].filter { index.meets(a, $0) }
      let fully = !deny.isEmpty && !index.exists([a], avoiding: deny)
      notes.append(
        EntryNote(
          entry: index.written(a, role: 0), isDeny: false,
          others: index.written(deny, role: 0, deny: true),
          fully: fully))
    }
    for d in index.denyIDs[0] {
      let allow = index.allowIDs[0].filter { index.meets(d, $0) }
      notes.append(
        EntryNote(
          entry: index.written(d, role: 0, deny: true), isDeny: true,
          others: index.written(allow, role: 0),
          fully: false))
    }
    return notes
  }

  /// Finds a role by sid (exact) or by name (case-insensitive exact, then unique prefix).
  public static func find(_ key: String, in roles: [RolePolicy]) -> RolePolicy? {
    if let role = roles.first(where: { $0.id == key }) { return role }
    let lower = key.lowercased()
    if let role = roles.first(where: { $0.name.lowercased() == lower }) { return role }
    let prefixed = roles.filter { $0.name.lowercased().hasPrefix(lower) }
    return prefixed.count == 1 ? prefixed[0] : nil
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
