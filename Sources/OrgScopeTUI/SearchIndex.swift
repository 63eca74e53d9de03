import OrgScopeCore

/// Every loaded record's `searchKey` (`name \u{1F} id`, and aliases, lower-cased) in one contiguous
/// buffer, appended page by page. The local search scans memory in order instead of visiting
/// one heap string per record: with 100,000 records a keystroke must filter in milliseconds.
/// It matches exactly as `LocalFilter.Matcher` does: name, id or an alias, by match mode.
public struct SearchIndex: Sendable {
  private var bytes: [UInt8] = []
  /// End offset of each record's key in `bytes`.
  private var ends: [Int] = []

  public init() {}

  public var count: Int { ends.count }

  public mutating func append(_ records: some Sequence<Record>) {
    for record in records {
      bytes.append(contentsOf: record.searchKey.utf8)
      ends.append(bytes.count)
    }
  }

  /// Indices among `candidates` whose name or id matches `search` by `mode`.
  public func filter(_ search: String, mode: MatchMode, candidates: some Sequence<Int>) -> [Int] {
    let needle = Array(search.lowercased().utf8)
    if needle.isEmpty { return Array(candidates) }
    return bytes.withUnsafeBufferPointer { all in
      ends.withUnsafeBufferPointer { ends in
        needle.withUnsafeBufferPointer { needle in
          var result: [Int] = []
          for index in candidates where index >= 0 && index < ends.count {
            let start = index == 0 ? 0 : ends[index - 1]
            if Self.matches(all, start, ends[index], needle, mode) { result.append(index) }
          }
          return result
        }
      }
    }
  }

  private static func matches(
    _ all: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
    _ needle: UnsafeBufferPointer<UInt8>, _ mode: MatchMode
  ) -> Bool {
    let key = UnsafeBufferPointer(rebasing: all[start..<end])
    // Typed text never holds the 0x1F separator, so a match cannot straddle name and id.
    if mode == .contains { return LocalFilter.Matcher.matches(key, needle, mode) }
    // Name, id and aliases each on their own.
    var start = key.startIndex
    while start <= key.endIndex {
      let end = key[start...].firstIndex(of: 0x1F) ?? key.endIndex
      if LocalFilter.Matcher.matches(UnsafeBufferPointer(rebasing: key[start..<end]), needle, mode)
      {
        return true
      }
      start = end + 1
    }
    return false
  }
}
