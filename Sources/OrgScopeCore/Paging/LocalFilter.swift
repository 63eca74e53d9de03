/// Filtering loaded records on this side, for sources without server search (Twilio
/// accounts, SendGrid, Huawei) and match modes the server does not know (Twilio roles
/// `Search` only "contains").
public enum LocalFilter {
  /// Whether `record` matches the query's search text by its match mode, case-insensitively,
  /// on the name or the id. An empty search matches everything.
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
      return matches(record.name) || matches(record.id)
    }

    /// Name and id are matched each on its own. ASCII text (most names, every id) is
    /// compared folding case in place; anything else is lower-cased first, as the TUI's
    /// `SearchIndex` does.
    private func matches(_ text: String) -> Bool {
      var text = text
      let ascii = text.utf8.allSatisfy { $0 < 0x80 }
      if !ascii { text = text.lowercased() }
      return text.withUTF8 { matches($0, foldASCII: ascii) }
    }

    private func matches(_ candidate: UnsafeBufferPointer<UInt8>, foldASCII: Bool) -> Bool {
      let count = needle.count
      guard candidate.count >= count else { return false }
      switch mode {
      case .startsWith: return equal(candidate, at: 0, foldASCII)
      case .endsWith: return equal(candidate, at: candidate.count - count, foldASCII)
      case .contains:
        for start in 0...(candidate.count - count) where equal(candidate, at: start, foldASCII) {
          return true
        }
        return false
      }
    }

    private func equal(_ candidate: UnsafeBufferPointer<UInt8>, at start: Int, _ fold: Bool)
      -> Bool
    {
      for offset in 0..<needle.count {
        var byte = candidate[start + offset]
        if fold && byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
        if byte != needle[offset] { return false }
      }
      return true
    }
  }
}
