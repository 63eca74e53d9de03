/// Every role's policy compiled once, with the answers to pairwise questions kept, so that
/// a query over thousands of roles decides each distinct pair of patterns once.
///
/// All answers are exact (see `GlobSearch`). The shortcuts below are theorems, not
/// heuristics: a pattern without `*` is one string, so it meets a glob exactly when the glob
/// matches it; and a union of globs covers a glob exactly when one of them does (see
/// `reach`).
public struct PolicyIndex: Sendable {
  public private(set) var roles: [RolePolicy]
  /// Distinct patterns by key (case folded, stars collapsed).
  private(set) var globs: [Glob] = []
  private var ids: [String: Int] = [:]
  /// Ids by the text as written (most entries repeat exactly across roles).
  private var written: [String: Int] = [:]
  /// Per role, its distinct allow and deny pattern ids, in written order.
  private(set) var allowIDs: [[Int]] = []
  private(set) var denyIDs: [[Int]] = []
  /// Per role, each of those ids as that role wrote it (its first spelling there): an id is
  /// shared by every spelling of a pattern, and `glob(id).text` is only the first one seen
  /// in any role. What is quoted for a role is always its own text (`written`).
  private var allowTexts: [[String]] = []
  private var denyTexts: [[String]] = []
  private var meetCache: [Pair: Bool] = [:]
  private var containsCache: [Pair: Bool] = [:]
  private var searchCache: [SearchKey: Bool] = [:]

  private struct Pair: Hashable {
    var a: Int
    var b: Int
  }

  private struct SearchKey: Hashable {
    var positive: [Int]
    var negative: [Int]
  }

  public init(_ roles: [RolePolicy]) {
    self.roles = roles
    allowIDs.reserveCapacity(roles.count)
    denyIDs.reserveCapacity(roles.count)
    // Each list once per id: `stamp[id]` says which list last took it.
    var stamp: [Int] = []
    var list = 0
    func distinct(_ entries: [String], _ index: inout PolicyIndex) -> (ids: [Int], texts: [String])
    {
      list += 1
      var ids: [Int] = []
      var texts: [String] = []
      ids.reserveCapacity(entries.count)
      for entry in entries {
        let id = index.intern(entry)
        if id >= stamp.count { stamp += [Int](repeating: 0, count: id - stamp.count + 64) }
        if stamp[id] != list {
          stamp[id] = list
          ids.append(id)
          texts.append(entry)
        }
      }
      return (ids, texts)
    }
    allowTexts.reserveCapacity(roles.count)
    denyTexts.reserveCapacity(roles.count)
    for role in roles {
      let allow = distinct(role.allow, &self)
      let deny = distinct(role.deny, &self)
      allowIDs.append(allow.ids)
      allowTexts.append(allow.texts)
      denyIDs.append(deny.ids)
      denyTexts.append(deny.texts)
    }
  }

  /// Pattern `id` as role `role` wrote it in its allow list (or, with `deny`, its deny
  /// list), byte for byte: the first of its spellings there. A role may allow `/a/*` and
  /// deny `/A/*`: each list is quoted as written.
  public func written(_ id: Int, role: Int, deny: Bool = false) -> String {
    let (ids, texts) = deny ? (denyIDs[role], denyTexts[role]) : (allowIDs[role], allowTexts[role])
    if let k = ids.firstIndex(of: id) { return texts[k] }
    // Not in that list: the other one, else the shared spelling.
    let (otherIDs, otherTexts) =
      deny ? (allowIDs[role], allowTexts[role]) : (denyIDs[role], denyTexts[role])
    if let k = otherIDs.firstIndex(of: id) { return otherTexts[k] }
    return globs[id].text
  }

  /// Patterns `ids` as role `role` wrote them in its allow (or deny) list.
  public func written(_ ids: [Int], role: Int, deny: Bool = false) -> [String] {
    ids.map { written($0, role: role, deny: deny) }
  }

  /// The id of a pattern, added when new.
  public mutating func intern(_ text: String) -> Int {
    if let id = written[text] { return id }
    let id = internGlob(text)
    written[text] = id
    return id
  }

  private mutating func internGlob(_ text: String) -> Int {
    let glob = Glob(text)
    let key = glob.key
    if let id = ids[key] { return id }
    ids[key] = globs.count
    globs.append(glob)
    return globs.count - 1
  }

  public func glob(_ id: Int) -> Glob { globs[id] }

  // MARK: pairwise and product questions, remembered

  /// Whether patterns `a` and `b` share a string.
  public mutating func meets(_ a: Int, _ b: Int) -> Bool {
    if a == b { return true }
    let pair = Pair(a: min(a, b), b: max(a, b))
    if let known = meetCache[pair] { return known }
    let answer = GlobSearch.meet(globs[a], globs[b])
    meetCache[pair] = answer
    return answer
  }

  /// Whether every string of `inner` is matched by `outer`.
  public mutating func contains(_ outer: Int, _ inner: Int) -> Bool {
    if outer == inner { return true }
    let pair = Pair(a: outer, b: inner)
    if let known = containsCache[pair] { return known }
    let answer = GlobSearch.contains(globs[outer], globs[inner])
    containsCache[pair] = answer
    return answer
  }

  /// Whether some string is matched by every pattern of `positive` and by none of
  /// `negative`.
  public mutating func exists(_ positive: [Int], avoiding negative: [Int]) -> Bool {
    let key = SearchKey(positive: positive.sorted(), negative: Array(Set(negative)).sorted())
    if let known = searchCache[key] { return known }
    let answer = GlobSearch.exists(
      matching: key.positive.map { globs[$0] }, avoiding: key.negative.map { globs[$0] })
    searchCache[key] = answer
    return answer
  }

  /// For every known pattern, whether it meets `query`: one row of answers reused for every
  /// role.
  public mutating func meetsRow(_ query: Int) -> [Bool] {
    (0..<globs.count).map { meets(query, $0) }
  }

  // MARK: one role against one query

  /// What one role does with one query.
  public struct Reach: Sendable, Hashable {
    public var coverage: Coverage
    /// Allow entries that meet the query (before denies).
    public var meetingAllow: [Int]
    /// Deny entries that meet the query.
    public var meetingDeny: [Int]
  }

  /// The coverage of `query` by role `role`. `row` is `meetsRow(query)` when the caller asks
  /// about many roles; ids beyond it are computed.
  public mutating func reach(_ query: Int, role: Int, row: [Bool]? = nil) -> Reach {
    func meetsQuery(_ id: Int) -> Bool {
      if let row, id < row.count { return row[id] }
      return meets(query, id)
    }
    let allow = allowIDs[role].filter(meetsQuery)
    if allow.isEmpty { return Reach(coverage: .none, meetingAllow: [], meetingDeny: []) }
    let deny = denyIDs[role].filter(meetsQuery)
    let q = globs[query]
    if !q.hasWildcard {
      // One string: the allow entries match it; a meeting deny entry matches it too.
      return Reach(coverage: deny.isEmpty ? .all : .none, meetingAllow: allow, meetingDeny: deny)
    }
    var some = deny.isEmpty
    if !some {
      for a in allow where exists([query, a], avoiding: deny.filter { meets(a, $0) }) {
        some = true
        break
      }
    }
    guard some else { return Reach(coverage: .none, meetingAllow: allow, meetingDeny: deny) }
    // All of it: no deny entry meets the query, and the allow entries cover it. A union of
    // globs covers a glob Q exactly when one of them does: write Q with a long run of a
    // character no pattern uses in place of each `*`; a glob that matches that string must
    // cover each run with a `*` of its own, so it matches whatever Q's stars match. (The
    // property tests check this against the plain product search and brute force.)
    let all = deny.isEmpty && allow.contains { contains($0, query) }
    return Reach(coverage: all ? .all : .some, meetingAllow: allow, meetingDeny: deny)
  }

  /// Only the coverage of `query` by `role`, with `row = meetsRow(query)`: the common case
  /// (a query without `*`, or a role whose entries do not meet it) allocates nothing.
  public mutating func coverage(_ query: Int, role: Int, row: [Bool]) -> Coverage {
    var meets = false
    for id in allowIDs[role] where row[id] {
      meets = true
      break
    }
    guard meets else { return .none }
    if !globs[query].hasWildcard {
      for id in denyIDs[role] where row[id] { return .none }
      return .all
    }
    return reach(query, role: role, row: row).coverage
  }

  /// The allow entries of a role that bring some string of `query` into its effective set,
  /// and the deny entries that take strings of it away from them.
  public mutating func explain(_ query: Int, role: Int, reach: Reach) -> (
    allow: [Int], deny: [Int]
  ) {
    let q = globs[query]
    if !q.hasWildcard {
      return reach.meetingDeny.isEmpty ? (reach.meetingAllow, []) : ([], reach.meetingDeny)
    }
    var allow: [Int] = []
    for a in reach.meetingAllow {
      let deny = reach.meetingDeny.filter { meets(a, $0) }
      if deny.isEmpty || exists([query, a], avoiding: deny) { allow.append(a) }
    }
    // Every deny entry that takes part of the query away from the role: D with
    // Q ∩ D ∩ (∪ allow) non-empty. Also those that take away all an allow entry grants of
    // Q while another allow entry still grants the rest (the role is granted then, and such
    // a deny entry is still part of the answer).
    let deny = reach.meetingDeny.filter { d in
      reach.meetingAllow.contains { a in meets(a, d) && exists([query, a, d], avoiding: []) }
    }
    return (allow, deny)
  }

  /// Shortest examples for `query` and `role`: a permission of the query that the role
  /// grants, and one it does not. Straight from the product automaton, without the
  /// shortcuts of `reach`: it explains an answer, and tests check `reach` against it.
  public mutating func examples(_ query: Int, role: Int) -> (granted: String?, notGranted: String?)
  {
    func shortest(_ candidates: [String?]) -> String? {
      candidates.compactMap { $0 }.min { ($0.count, $0) < ($1.count, $1) }
    }
    let q = globs[query]
    let allow = allowIDs[role].map { globs[$0] }
    let deny = denyIDs[role].map { globs[$0] }
    let granted = shortest(allow.map { GlobSearch.witness(matching: [q, $0], avoiding: deny) })
    let notGranted = shortest(
      [GlobSearch.witness(matching: [q], avoiding: allow)]
        + deny.map { GlobSearch.witness(matching: [q, $0], avoiding: []) })
    return (granted, notGranted)
  }

  // MARK: one role against another

  /// A string one role grants (effectively) and the other does not, if any.
  public mutating func grantedOnly(by a: Int, not b: Int) -> String? {
    for entry in allowIDs[a] {
      let denyA = denyIDs[a].filter { meets(entry, $0) }
      let allowB = allowIDs[b].filter { meets(entry, $0) }
      let candidate = GlobSearch.witness(
        matching: [globs[entry]], avoiding: (denyA + allowB).map { globs[$0] })
      if let candidate { return candidate }
      for d in denyIDs[b] where meets(entry, d) {
        if let found = GlobSearch.witness(
          matching: [globs[entry], globs[d]], avoiding: denyA.map { globs[$0] })
        {
          return found
        }
      }
    }
    return nil
  }
}
