/// "Did you mean …?": the known names closest to a misspelt one.
public enum Suggestions {
  /// Up to `limit` of `candidates` within a few edits of `word` (case ignored; a swap
  /// of two neighbours is one edit, so `stauts` is one from `status`), closest first.
  public static func closest(
    to word: String, among candidates: some Sequence<String>, limit: Int = 3
  ) -> [String] {
    let target = Array(word.lowercased())
    // A third of the word may be wrong, and at least one letter.
    let allowed = max(1, target.count / 3)
    var scored: [(distance: Int, name: String)] = []
    for candidate in Set(candidates) where candidate != word {
      let folded = Array(candidate.lowercased())
      guard abs(folded.count - target.count) <= allowed else { continue }
      let distance = editDistance(target, folded)
      if distance <= allowed { scored.append((distance, candidate)) }
    }
    scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
    return scored.prefix(limit).map(\.name)
  }

  /// Edits (insert, delete, replace, swap of neighbours) from `a` to `b`: the optimal
  /// string alignment distance.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          best = min(best, before[j - 2] + 1)
        }
        current[j] = best
      }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }

  /// `"a"`, `"a" or "b"`, `"a", "b" or "c"`: names quoted for a sentence, cleaned for the
  /// terminal.
  public static func quotedList(_ names: [String], conjunction: String = "or") -> String {
    let quoted = names.map { "\"\(Sanitizer.clean($0))\"" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
  }
}
