import CursesShim
import Foundation
import OrgScopeCore

/// Every loaded record's `searchKey` (`name \u{1F} id`, lower-cased) in one contiguous
/// buffer, appended page by page. The local search scans memory in order instead of visiting
/// one heap string per record: with 100,000 records a keystroke must filter in milliseconds.
/// It matches exactly as `LocalFilter.Matcher` does: name or id, by match mode.
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
    guard let base = all.baseAddress, let pattern = needle.baseAddress else { return false }
    let count = needle.count
    switch mode {
    case .contains:
      // Typed text never holds the 0x1F separator, so a match cannot straddle name and id.
      guard end - start >= count else { return false }
      return orgscope_contains_bytes(base + start, end - start, pattern, count) != 0
    case .startsWith, .endsWith:
      var separator = start
      while separator < end && all[separator] != 0x1F { separator += 1 }
      let idStart = min(separator + 1, end)
      let parts = [(start, separator), (idStart, end)]
      for (partStart, partEnd) in parts where partEnd - partStart >= count {
        let offset = mode == .startsWith ? partStart : partEnd - count
        if memcmp(base + offset, pattern, count) == 0 { return true }
      }
      return false
    }
  }
}
