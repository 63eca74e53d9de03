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
      var key = record.searchKey
      return key.withUTF8 { bytes in
        // searchKey is "name\u{1F}id": each part is matched on its own.
        let separator = bytes.firstIndex(of: 0x1F) ?? bytes.count
        let name = UnsafeBufferPointer(rebasing: bytes[0..<separator])
        let id = UnsafeBufferPointer(
          rebasing: bytes[min(separator + 1, bytes.count)..<bytes.count])
        return matches(name) || matches(id)
      }
    }

    private func matches(_ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
      let count = needle.count
      guard candidate.count >= count else { return false }
      switch mode {
      case .startsWith: return equal(candidate, at: 0)
      case .endsWith: return equal(candidate, at: candidate.count - count)
      case .contains:
        let first = needle[0]
        for start in 0...(candidate.count - count) where candidate[start] == first {
          if equal(candidate, at: start) { return true }
        }
        return false
      }
    }

    private func equal(_ candidate: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
      for offset in 0..<needle.count where candidate[start + offset] != needle[offset] {
        return false
      }
      return true
    }
  }
}
