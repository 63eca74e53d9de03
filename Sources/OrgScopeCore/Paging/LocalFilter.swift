import Foundation

/// Filtering loaded records on this side, for sources without server search (Twilio
/// accounts, SendGrid, Huawei) and match modes the server does not know (Twilio roles
/// `Search` only "contains").
public enum LocalFilter {
  /// Whether `record` matches the query's search text by its match mode, case-insensitively,
  /// on the name, the id or one of its aliases. An empty search matches everything.
  public static func matches(_ record: Record, query: Query) -> Bool {
    Matcher(query).matches(record)
  }

  /// Whether records of a source with `capabilities` must be filtered here for `query`.
  public static func isNeeded(_ capabilities: SourceCapabilities, query: Query) -> Bool {
    guard !query.search.isEmpty else { return false }
    return !capabilities.serverSearch || !capabilities.serverMatchModes.contains(query.match)
  }

  /// Filters `records`, or returns them unchanged when the server already did.
  public static func apply(
    _ records: [Record], query: Query, capabilities: SourceCapabilities
  ) -> [Record] {
    guard isNeeded(capabilities, query: query) else { return records }
    let matcher = Matcher(query)
    return records.filter { matcher.matches($0) }
  }

  /// A query prepared once (lower-cased, as UTF-8) to test many records quickly: each
  /// keystroke of an incremental search re-filters everything loaded.
  public struct Matcher: Sendable {
    let needle: [UInt8]
    let mode: MatchMode

    public init(_ query: Query) {
      needle = Array(query.search.lowercased().utf8)
      mode = query.match
    }

    public func matches(_ record: Record) -> Bool {
      guard !needle.isEmpty else { return true }
      return matches(record.name) || matches(record.id) || record.aliases.contains(where: matches)
    }

    /// Name and id are matched each on its own, lower-cased as the TUI's `SearchIndex`
    /// keys are: ASCII folded into a scratch buffer (most names, every id), anything else
    /// through `lowercased()`.
    private func matches(_ text: String) -> Bool {
      var text = text
      if !text.utf8.allSatisfy({ $0 < 0x80 }) { text = text.lowercased() }
      return needle.withUnsafeBufferPointer { needle in
        text.withUTF8 { utf8 in
          guard utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else {
            return Self.matches(utf8, needle, mode)
          }
          return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { folded in
            for (index, byte) in utf8.enumerated() {
              folded[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
            return Self.matches(UnsafeBufferPointer(folded), needle, mode)
          }
        }
      }
    }

    /// The one substring matcher: whether lower-cased `candidate` matches lower-cased
    /// `needle` by `mode` (an empty needle matches everything). Search keys are short
    /// (a name and an id, about 50 bytes) and typed needles shorter: finding the first
    /// byte with `memchr` and comparing the rest in place beats `memmem`, which sets up a
    /// general search on every call (about 60 ns a key for a 2-byte needle: 5-7 ms for a
    /// second letter refining 80,000 rows).
    public static func matches(
      _ candidate: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>,
      _ mode: MatchMode
    ) -> Bool {
      let count = needle.count
      guard count > 0 else { return true }
      guard candidate.count >= count, let base = candidate.baseAddress,
        let pattern = needle.baseAddress
      else { return false }
      switch mode {
      case .startsWith: return memcmp(base, pattern, count) == 0
      case .endsWith: return memcmp(base + (candidate.count - count), pattern, count) == 0
      case .contains:
        let first = Int32(pattern[0])
        var start = UnsafePointer(base)
        let last = base + (candidate.count - count)
        while start <= last {
          guard let found = memchr(start, first, last - start + 1) else { return false }
          let position = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
          if count == 1 || memcmp(position + 1, pattern + 1, count - 1) == 0 { return true }
          start = position + 1
        }
        return false
      }
    }
  }
}
