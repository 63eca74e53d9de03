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
  private var meetCache: [Pair: Result<Bool, TooComplex>] = [:]
  private var containsCache: [Pair: Result<Bool, TooComplex>] = [:]
  private var searchCache: [SearchKey: Result<Bool, TooComplex>] = [:]

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

  // MARK: bounds

  /// Limits on what the audit may spend (SECURITY.md lists them). An entry longer than
  /// `maxEntryLength` characters, or more than `maxEntries` entries in one role, makes the
  /// role too large to decide. The product searches for one role's answer may do at most
  /// `workPerRole` word operations, and those for one question (a query over every role)
  /// at most `workPerQuestion`: past them the role, or every role left, is "too complex to
  /// decide", and the rest of the audit goes on.
  public static let maxEntryLength = 1_024
  public static let maxEntries = 2_000
  public static let workPerRole = 100_000_000
  public static let workPerQuestion = 1_000_000_000

  private var roleWork = PolicyIndex.workPerRole
  private var questionWork = PolicyIndex.workPerQuestion

  /// Starts the budget of one question (a query over every role, a diff, a matrix).
  public mutating func beginQuestion() {
    questionWork = Self.workPerQuestion
    roleWork = Self.workPerRole
  }

  /// Whether the current question's work budget is spent (every answer left is "too
  /// complex to decide").
  public var questionBudgetSpent: Bool { questionWork <= 0 }

  /// Charges work done outside the product searches (matching thousands of entries).
  mutating func charge(_ work: Int) { questionWork -= work }

  /// Starts the budget for one role's answer, and refuses a role too large to decide.
  public mutating func begin(role: Int) throws(TooComplex) {
    roleWork = Self.workPerRole
    if let reason = tooLarge(role) { throw TooComplex(reason) }
  }

  /// Why a role's policy is beyond the entry bounds, if it is.
  public func tooLarge(_ role: Int) -> String? {
    let entries = roles[role].allow.count + roles[role].deny.count
    if entries > Self.maxEntries {
      return "\(entries.formatted) entries; the limit is \(Self.maxEntries.formatted)"
    }
    for id in allowIDs[role] + denyIDs[role] where globs[id].scalars.count > Self.maxEntryLength {
      return
        "an entry of \(globs[id].scalars.count.formatted) characters; the limit is \(Self.maxEntryLength.formatted)"
    }
    return nil
  }

  /// One bounded product search, charged to the current role's and question's budgets.
  private mutating func search(_ positive: [Glob], avoiding negative: [Glob]) throws(TooComplex)
    -> String?
  {
    guard questionWork > 0 else { throw TooComplex("the question's work budget is spent") }
    guard roleWork > 0 else { throw TooComplex("the role's work budget is spent") }
    let budget = min(GlobSearch.maxWork, roleWork, questionWork)
    do {
      let (witness, work) = try GlobSearch.search(
        matching: positive, avoiding: negative, budget: budget)
      roleWork -= work
      questionWork -= work
      return witness
    } catch {
      roleWork = 0
      questionWork -= budget
      throw error
    }
  }

  // MARK: pairwise and product questions, remembered

  /// Whether patterns `a` and `b` share a string. A pattern without `*` is one string: it
  /// meets another exactly when that one matches it (not remembered: matching is cheaper
  /// than the memory, with thousands of literal entries).
  public mutating func meets(_ a: Int, _ b: Int) throws(TooComplex) -> Bool {
    if a == b { return true }
    if !globs[a].hasWildcard { return globs[b].matches(globs[a].text) }
    if !globs[b].hasWildcard { return globs[a].matches(globs[b].text) }
    let pair = Pair(a: min(a, b), b: max(a, b))
    if let known = meetCache[pair] { return try known.get() }
    let answer = Result { () throws(TooComplex) in
      try search([globs[a], globs[b]], avoiding: []) != nil
    }
    meetCache[pair] = answer
    return try answer.get()
  }

  /// Whether every string of `inner` is matched by `outer`.
  public mutating func contains(_ outer: Int, _ inner: Int) throws(TooComplex) -> Bool {
    if outer == inner { return true }
    if !globs[inner].hasWildcard { return globs[outer].matches(globs[inner].text) }
    if !globs[outer].hasWildcard { return false }
    let pair = Pair(a: outer, b: inner)
    if let known = containsCache[pair] { return try known.get() }
    let answer = Result { () throws(TooComplex) in
      try search([globs[inner]], avoiding: [globs[outer]]) == nil
    }
    containsCache[pair] = answer
    return try answer.get()
  }

  /// Whether some string is matched by every pattern of `positive` and by none of
  /// `negative`.
  public mutating func exists(_ positive: [Int], avoiding negative: [Int]) throws(TooComplex)
    -> Bool
  {
    let key = SearchKey(positive: positive.sorted(), negative: Array(Set(negative)).sorted())
    if let known = searchCache[key] { return try known.get() }
    let answer = Result { () throws(TooComplex) in
      try search(key.positive.map { globs[$0] }, avoiding: key.negative.map { globs[$0] }) != nil
    }
    searchCache[key] = answer
    return try answer.get()
  }

  /// For every known pattern, whether it meets `query`: one row of answers reused for every
  /// role; nil where that pair is too complex to decide (a role that writes that pattern
  /// then gets "too complex" when it is asked about).
  public mutating func meetsRow(_ query: Int) -> [Bool?] {
    (0..<globs.count).map { id in
      // An entry too long to decide makes its role "too complex" anyway: not searched.
      guard globs[id].scalars.count <= Self.maxEntryLength else { return nil }
      roleWork = Self.workPerRole
      return try? meets(query, id)
    }
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
  /// about many roles; ids beyond it are computed. Call `begin(role:)` first: it refuses a
  /// role beyond the entry bounds and starts the role's search budget.
  public mutating func reach(_ query: Int, role: Int, row: [Bool?]? = nil) throws(TooComplex)
    -> Reach
  {
    func meetsQuery(_ id: Int) throws(TooComplex) -> Bool {
      if let row, id < row.count {
        guard let known = row[id] else { throw TooComplex("an entry against the query") }
        return known
      }
      return try meets(query, id)
    }
    var allow: [Int] = []
    for id in allowIDs[role] where try meetsQuery(id) { allow.append(id) }
    if allow.isEmpty { return Reach(coverage: .none, meetingAllow: [], meetingDeny: []) }
    var deny: [Int] = []
    for id in denyIDs[role] where try meetsQuery(id) { deny.append(id) }
    let q = globs[query]
    if !q.hasWildcard {
      // One string: the allow entries match it; a meeting deny entry matches it too.
      return Reach(coverage: deny.isEmpty ? .all : .none, meetingAllow: allow, meetingDeny: deny)
    }
    var some = deny.isEmpty
    if !some {
      for a in allow {
        var cutting: [Int] = []
        for d in deny where try meets(a, d) { cutting.append(d) }
        if try exists([query, a], avoiding: cutting) {
          some = true
          break
        }
      }
    }
    guard some else { return Reach(coverage: .none, meetingAllow: allow, meetingDeny: deny) }
    // All of it: no deny entry meets the query, and the allow entries cover it. A union of
    // globs covers a glob Q exactly when one of them does: write Q with a long run of a
    // character no pattern uses in place of each `*`; a glob that matches that string must
    // cover each run with a `*` of its own, so it matches whatever Q's stars match. (The
    // property tests check this against the plain product search and brute force.)
    var all = false
    if deny.isEmpty {
      for a in allow where try contains(a, query) {
        all = true
        break
      }
    }
    return Reach(coverage: all ? .all : .some, meetingAllow: allow, meetingDeny: deny)
  }

  /// Only the coverage of `query` by `role`, with `row = meetsRow(query)`: the common case
  /// (a query without `*`, or a role whose entries do not meet it) allocates nothing. A
  /// role too complex to decide is `.undecided`.
  public mutating func coverage(_ query: Int, role: Int, row: [Bool?]) -> Coverage {
    var meets = false
    for id in allowIDs[role] where row[id] != false {
      meets = true
      break
    }
    guard meets else { return .none }
    do {
      try begin(role: role)
      if !globs[query].hasWildcard, !allowIDs[role].contains(where: { row[$0] == nil }),
        !denyIDs[role].contains(where: { row[$0] == nil })
      {
        for id in denyIDs[role] where row[id] == true { return .none }
        return .all
      }
      return try reach(query, role: role, row: row).coverage
    } catch {
      return .undecided
    }
  }

  /// The allow entries of a role that bring some string of `query` into its effective set,
  /// and the deny entries that take strings of it away from them.
  public mutating func explain(_ query: Int, role: Int, reach: Reach) throws(TooComplex) -> (
    allow: [Int], deny: [Int]
  ) {
    let q = globs[query]
    if !q.hasWildcard {
      return reach.meetingDeny.isEmpty ? (reach.meetingAllow, []) : ([], reach.meetingDeny)
    }
    var allow: [Int] = []
    for a in reach.meetingAllow {
      var cutting: [Int] = []
      for d in reach.meetingDeny where try meets(a, d) { cutting.append(d) }
      if cutting.isEmpty {
        allow.append(a)
      } else if try exists([query, a], avoiding: cutting) {
        allow.append(a)
      }
    }
    // Every deny entry that takes part of the query away from the role: D with
    // Q ∩ D ∩ (∪ allow) non-empty. Also those that take away all an allow entry grants of
    // Q while another allow entry still grants the rest (the role is granted then, and such
    // a deny entry is still part of the answer).
    var deny: [Int] = []
    for d in reach.meetingDeny {
      for a in reach.meetingAllow where try meets(a, d) {
        if try exists([query, a, d], avoiding: []) {
          deny.append(d)
          break
        }
      }
    }
    return (allow, deny)
  }

  /// Whether deny entry `d` alone takes away all that the role's allow entries meeting the
  /// query grant of it ("all of it" rather than "part of it").
  public mutating func takesAll(_ query: Int, deny d: Int, reach: Reach) throws(TooComplex) -> Bool
  {
    for a in reach.meetingAllow where try exists([query, a], avoiding: [d]) { return false }
    return true
  }

  /// Shortest examples for `query` and `role`: a permission of the query that the role
  /// grants, and one it does not. Straight from the product automaton, without the
  /// shortcuts of `reach`: it explains an answer, and tests check `reach` against it.
  public mutating func examples(_ query: Int, role: Int) throws(TooComplex) -> (
    granted: String?, notGranted: String?
  ) {
    func shortest(_ candidates: [String?]) -> String? {
      candidates.compactMap { $0 }.min { ($0.count, $0) < ($1.count, $1) }
    }
    let q = globs[query]
    let allow = allowIDs[role].map { globs[$0] }
    let deny = denyIDs[role].map { globs[$0] }
    var granted: [String?] = []
    for a in allow { granted.append(try search([q, a], avoiding: deny)) }
    var notGranted: [String?] = [try search([q], avoiding: allow)]
    for d in deny { notGranted.append(try search([q, d], avoiding: [])) }
    return (shortest(granted), shortest(notGranted))
  }

  // MARK: one role against another

  /// A string one role grants (effectively) and the other does not, if any.
  public mutating func grantedOnly(by a: Int, not b: Int) throws(TooComplex) -> String? {
    for entry in allowIDs[a] {
      var denyA: [Int] = []
      for d in denyIDs[a] where try meets(entry, d) { denyA.append(d) }
      var allowB: [Int] = []
      for other in allowIDs[b] where try meets(entry, other) { allowB.append(other) }
      if let candidate = try search([globs[entry]], avoiding: (denyA + allowB).map { globs[$0] }) {
        return candidate
      }
      for d in denyIDs[b] where try meets(entry, d) {
        if let found = try search([globs[entry], globs[d]], avoiding: denyA.map { globs[$0] }) {
          return found
        }
      }
    }
    return nil
  }
}
