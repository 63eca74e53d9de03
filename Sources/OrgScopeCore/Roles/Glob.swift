/// A permission pattern: `*` matches any run of characters (`/` included, the empty run
/// too); every other character matches itself, ASCII case ignored. Queries and policy
/// entries are both globs, and every audit answer is decided on them exactly: a glob is a
/// small automaton, and questions about several globs are searches over the product of
/// their states (`GlobSearch`), never samples of strings.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  /// The pattern as written.
  public let text: String
  /// Unicode scalars, ASCII letters lower-cased, runs of `*` collapsed into one (`a**b` and
  /// `a*b` are the same set).
  let scalars: [UInt32]
  /// Whether `scalars[i]` is `*`.
  let isStar: [Bool]
  /// The first position of the trailing run of `*`, or `count` when the pattern does not
  /// end in `*`. From a state at or after it (and before the end) any continuation matches.
  let openFrom: Int

  static let star: UInt32 = 42

  /// Any text is a pattern (a policy entry is taken as the server wrote it); see
  /// `init(query:)` for what a person may type.
  public init(_ text: String) {
    var scalars: [UInt32] = []
    scalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      var value = scalar.value
      if value >= 65, value <= 90 { value += 32 }
      if value == Self.star, scalars.last == Self.star { continue }
      scalars.append(value)
    }
    self.text = text
    self.scalars = scalars
    self.isStar = scalars.map { $0 == Self.star }
    var open = scalars.count
    if let last = scalars.last, last == Self.star { open = scalars.count - 1 }
    self.openFrom = open
  }

  /// A query typed by a person. Empty text, or text holding whitespace or control
  /// characters (which no permission contains: a typing or quoting mistake), is refused
  /// with the reason.
  public init(query text: String) throws(GlobError) {
    guard !text.isEmpty else { throw .empty }
    for scalar in text.unicodeScalars {
      let category = scalar.properties.generalCategory
      if scalar.properties.isWhitespace || category == .control || category == .format {
        throw .invalidCharacter(scalar.value)
      }
    }
    self.init(text)
  }

  public var description: String { text }

  /// The pattern with case folded and stars collapsed: two globs with the same key match
  /// the same strings.
  public var key: String {
    var out = String.UnicodeScalarView()
    for value in scalars { out.append(Unicode.Scalar(value) ?? "?") }
    return String(out)
  }

  /// Whether the pattern has a `*` (matches more than one string).
  public var hasWildcard: Bool { isStar.contains(true) }

  /// Number of positions of the automaton: one per scalar, plus the end.
  var stateCount: Int { scalars.count + 1 }

  public static func == (a: Glob, b: Glob) -> Bool { a.scalars == b.scalars }
  public func hash(into hasher: inout Hasher) { hasher.combine(scalars) }

  /// Whether the glob matches the whole of `string` (a `*` in `string` is an ordinary
  /// character there).
  public func matches(_ string: String) -> Bool {
    var t: [UInt32] = []
    t.reserveCapacity(string.unicodeScalars.count)
    for scalar in string.unicodeScalars {
      var value = scalar.value
      if value >= 65, value <= 90 { value += 32 }
      t.append(value)
    }
    var pi = 0
    var ti = 0
    var starAt = -1
    var resumeAt = 0
    while ti < t.count {
      if pi < scalars.count, isStar[pi] {
        starAt = pi
        resumeAt = ti
        pi += 1
      } else if pi < scalars.count, scalars[pi] == t[ti] {
        pi += 1
        ti += 1
      } else if starAt >= 0 {
        pi = starAt + 1
        resumeAt += 1
        ti = resumeAt
      } else {
        return false
      }
    }
    while pi < scalars.count, isStar[pi] { pi += 1 }
    return pi == scalars.count
  }
}

/// Why a typed query is not a pattern.
public enum GlobError: Error, Sendable, Hashable, CustomStringConvertible {
  case empty
  case invalidCharacter(UInt32)

  public var description: String {
    switch self {
    case .empty: return "the permission pattern is empty"
    case .invalidCharacter(let value):
      let code = String(value, radix: 16, uppercase: true)
      let name =
        value == 0x20
        ? "a space" : "U+" + String(repeating: "0", count: max(0, 4 - code.count)) + code
      return
        "the permission pattern holds \(name); spaces and control characters are not part of any permission"
    }
  }
}

/// An audit question that was not decided because deciding it would take more than the
/// bounds allow: the answer is "too complex to decide", never a guess.
public struct TooComplex: Error, Sendable, Hashable, CustomStringConvertible {
  /// What was too much: `"12,345 states"`, `"an entry of 300,000 characters"`.
  public var reason: String

  public init(_ reason: String) { self.reason = reason }

  static func states(_ count: Int) -> TooComplex { TooComplex("\(count.formatted) states") }

  public var description: String { "too complex to decide (\(reason))" }
}

/// Exact questions over several globs at once, bounded: a search whose work would pass its
/// budget (`maxWork` by default: word operations, each visited state costing its width in
/// words times the alphabet's size), or that would hold more than `maxWords` words of
/// state, stops with `TooComplex` instead of an answer.
public enum GlobSearch {
  /// Work one search may do by default (bounds time: some tens of milliseconds).
  public static let maxWork = 50_000_000
  /// Words of state one search may hold (bounds memory: 4 Mi words, 32 MiB).
  public static let maxWords = 4 << 20
  /// What one step of the search costs beyond its width, in words (measured: a state of
  /// 24 words over 25 symbols took about 90 µs in a debug build, 6 in release).
  static let stepCost = 200

  /// A shortest string that every glob of `positive` matches and no glob of `negative`
  /// does, or nil when there is none. With no positive glob, any string is a candidate.
  ///
  /// Breadth-first search over the product of the globs' subset states. The alphabet is the
  /// characters written in the globs plus one "any other character" class, which is exact:
  /// a glob cannot tell two characters apart that none of them writes.
  public static func witness(
    matching positive: [Glob], avoiding negative: [Glob], budget: Int = maxWork
  ) throws(TooComplex) -> String? {
    try search(matching: positive, avoiding: negative, budget: budget).witness
  }

  /// The witness, and the work the search did.
  static func search(matching positive: [Glob], avoiding negative: [Glob], budget: Int)
    throws(TooComplex) -> (witness: String?, work: Int)
  {
    var product = Product(positive: positive, negative: negative)
    // A visited state costs a step per symbol: its width in words, plus the step's own
    // overhead (a new state, normalizing it, hashing it), counted as `stepCost` words.
    let perState = max(1, (product.width + stepCost) * product.alphabet.count)
    let limit = min(budget / perState, maxWords / max(1, product.width))
    let (witness, visited) = try product.search(limit: max(1, limit))
    return (witness, visited * perState)
  }

  /// Whether some string matches every glob of `positive` and none of `negative`.
  public static func exists(
    matching positive: [Glob], avoiding negative: [Glob] = [], budget: Int = maxWork
  ) throws(TooComplex) -> Bool {
    try witness(matching: positive, avoiding: negative, budget: budget) != nil
  }

  /// Whether the two globs share at least one string.
  public static func meet(_ a: Glob, _ b: Glob) throws(TooComplex) -> Bool {
    if !a.hasWildcard { return b.matches(a.text) }
    if !b.hasWildcard { return a.matches(b.text) }
    return try exists(matching: [a, b])
  }

  /// Whether every string `inner` matches is matched by `outer`.
  public static func contains(_ outer: Glob, _ inner: Glob) throws(TooComplex) -> Bool {
    if !inner.hasWildcard { return outer.matches(inner.text) }
    if !outer.hasWildcard { return false }
    return try !exists(matching: [inner], avoiding: [outer])
  }
}

/// The product automaton of `GlobSearch`: each glob's set of positions as bits, all globs'
/// bits side by side in one array of words.
private struct Product {
  struct Part {
    var glob: Glob
    var positive: Bool
    /// First word of this glob's bits in a state.
    var offset: Int
    var words: Int
    /// Per alphabet symbol, the positions whose character is that symbol.
    var matchMasks: [[UInt64]]
    var starMask: [UInt64]
    /// Positions from which every continuation matches (the trailing `*` run).
    var openMask: [UInt64]
    var endWord: Int
    var endBit: UInt64
  }

  var parts: [Part] = []
  var alphabet: [UInt32] = []
  var width = 0

  init(positive: [Glob], negative: [Glob]) {
    var symbols = Set<UInt32>()
    for glob in positive + negative {
      for value in glob.scalars where value != Glob.star { symbols.insert(value) }
    }
    alphabet = symbols.sorted()
    // One character none of the globs writes stands for all such characters.
    var other: UInt32 = 0x78  // "x"
    for candidate in [0x78, 0x71, 0x7A, 0x5F, 0x30, 0x2D] as [UInt32]
    where !symbols.contains(candidate) {
      other = candidate
      break
    }
    if symbols.contains(other) {
      other = 0xE000
      while symbols.contains(other) { other += 1 }
    }
    alphabet.append(other)
    for (glob, isPositive) in positive.map({ ($0, true) }) + negative.map({ ($0, false) }) {
      let words = (glob.stateCount + 63) / 64
      func mask(_ keep: (Int) -> Bool) -> [UInt64] {
        var m = [UInt64](repeating: 0, count: words)
        for i in 0..<glob.stateCount where keep(i) { m[i >> 6] |= 1 << UInt64(i & 63) }
        return m
      }
      let n = glob.scalars.count
      parts.append(
        Part(
          glob: glob, positive: isPositive, offset: width, words: words,
          matchMasks: alphabet.map { symbol in
            mask { $0 < n && !glob.isStar[$0] && glob.scalars[$0] == symbol }
          },
          starMask: mask { $0 < n && glob.isStar[$0] },
          openMask: mask { $0 >= glob.openFrom && $0 < n },
          endWord: n >> 6, endBit: 1 << UInt64(n & 63)))
      width += words
    }
  }

  /// Adds the positions reachable by skipping a `*` (which matches the empty run). Runs of
  /// `*` are collapsed, so one step is the whole closure.
  func close(_ state: inout [UInt64], _ part: Part) {
    var carry: UInt64 = 0
    for w in 0..<part.words {
      let bits = state[part.offset + w] & part.starMask[w]
      let shifted = (bits << 1) | carry
      carry = bits >> 63
      state[part.offset + w] |= shifted
    }
  }

  func isEmpty(_ state: [UInt64], _ part: Part) -> Bool {
    for w in 0..<part.words where state[part.offset + w] != 0 { return false }
    return true
  }

  func isOpen(_ state: [UInt64], _ part: Part) -> Bool {
    for w in 0..<part.words where state[part.offset + w] & part.openMask[w] != 0 { return true }
    return false
  }

  func accepts(_ state: [UInt64], _ part: Part) -> Bool {
    state[part.offset + part.endWord] & part.endBit != 0
  }

  /// Tidies a state: a positive glob that accepts every continuation from here is set to
  /// one canonical "open" state, so equivalent states compare equal. Returns false for a
  /// dead state (a positive glob can no longer match, or a negative one matches whatever
  /// follows).
  func normalize(_ state: inout [UInt64]) -> Bool {
    for part in parts {
      if part.positive {
        if isEmpty(state, part) { return false }
        if isOpen(state, part) {
          for w in 0..<part.words { state[part.offset + w] = 0 }
          let open = part.glob.openFrom
          state[part.offset + (open >> 6)] |= 1 << UInt64(open & 63)
          close(&state, part)
        }
      } else if isOpen(state, part) {
        return false
      }
    }
    return true
  }

  func isGoal(_ state: [UInt64]) -> Bool {
    for part in parts where accepts(state, part) != part.positive { return false }
    return true
  }

  func step(_ state: [UInt64], symbol: Int) -> [UInt64] {
    var next = [UInt64](repeating: 0, count: width)
    for part in parts {
      var carry: UInt64 = 0
      for w in 0..<part.words {
        let current = state[part.offset + w]
        let advanced = current & part.matchMasks[symbol][w]
        next[part.offset + w] = (advanced << 1) | carry | (current & part.starMask[w])
        carry = advanced >> 63
      }
      close(&next, part)
    }
    return next
  }

  /// Breadth first, visiting at most `limit` states.
  mutating func search(limit: Int) throws(TooComplex) -> (witness: String?, visited: Int) {
    var start = [UInt64](repeating: 0, count: width)
    for part in parts {
      start[part.offset] |= 1
      close(&start, part)
    }
    guard normalize(&start) else { return (nil, 1) }
    var states = [start]
    var parents: [(Int, Int)] = [(-1, -1)]
    var seen: [[UInt64]: Int] = [start: 0]
    var head = 0
    while head < states.count {
      let state = states[head]
      if isGoal(state) {
        var symbols: [UInt32] = []
        var at = head
        while parents[at].0 >= 0 {
          symbols.append(alphabet[parents[at].1])
          at = parents[at].0
        }
        var text = String.UnicodeScalarView()
        for value in symbols.reversed() { text.append(Unicode.Scalar(value) ?? "x") }
        return (String(text), states.count)
      }
      for symbol in alphabet.indices {
        var next = step(state, symbol: symbol)
        guard normalize(&next), seen[next] == nil else { continue }
        guard states.count < limit else { throw .states(states.count) }
        seen[next] = states.count
        states.append(next)
        parents.append((head, symbol))
      }
      head += 1
    }
    return (nil, states.count)
  }
}
