import Foundation
import OrgScopeCore
import Synchronization

/// One source of a snapshot served as pages, answering a query as the provider's server
/// would (search, the provider's filters, sort by name), so an offline tab, `list` and the
/// role audit behave as they do live. Filters the server does not apply are left to the
/// caller, as they are live.
public final class SnapshotPages: PageSource, Sendable {
  public let source: SourceID
  public let records: [Record]
  let capabilities: SourceCapabilities
  let filters: [FilterSpec]
  /// Records per page: small enough for the TUI's first frame, large enough for `list`.
  public let pageSize: Int
  /// The last query's matching record positions: every page of one listing reuses them.
  private let cached = Mutex<(query: Query, positions: [Int])?>(nil)

  public init(source: SourceID, records: [Record], pageSize: Int = 500) {
    self.source = source
    self.records = records
    capabilities = source.descriptor.capabilities
    filters = source.descriptor.filters
    self.pageSize = max(1, pageSize)
  }

  public func page(query: Query, cursor: PageCursor?) async throws -> Page {
    for filter in filters where filter.offline == nil && !(query.filters[filter.name] ?? "").isEmpty
    {
      throw OrgScopeError.usage(
        "\(source.rawValue): a snapshot cannot answer --\(filter.name) (\(filter.label)); clear that filter"
      )
    }
    var offset = 0
    if let cursor {
      guard case .token(let text) = cursor, let value = Int(text), value >= 0 else {
        throw OrgScopeError.invalidResponse(
          source: source, status: 200, message: "not a snapshot page cursor")
      }
      offset = value
    }
    let positions = matching(query)
    let end = min(positions.count, offset + pageSize)
    let slice = offset < end ? positions[offset..<end].map { records[$0] } : []
    return Page(
      records: slice, next: end < positions.count ? .token(String(end)) : nil,
      total: positions.count)
  }

  /// Positions of the records that `query` keeps, in the order the server would list them.
  func matching(_ query: Query) -> [Int] {
    var key = query
    key.pageSize = nil
    if let cached = cached.withLock({ $0 }), cached.query == key { return cached.positions }
    var positions = Array(records.indices)
    if !query.search.isEmpty, capabilities.serverSearch,
      capabilities.serverMatchModes.contains(query.match)
    {
      let matcher = LocalFilter.Matcher(query)
      positions = positions.filter { matcher.matches(records[$0]) }
    }
    for filter in filters {
      guard let value = query.filters[filter.name], !value.isEmpty, let keeps = filter.offline
      else { continue }
      positions = positions.filter { keeps(records[$0].fields, value) }
    }
    if capabilities.sort, let direction = query.sortByName {
      // As the server sorts: by name, case folded, nameless last, ties in id order.
      let names = positions.map { records[$0].name.lowercased() }
      var order = Array(positions.indices)
      order.sort { left, right in
        let l = names[left]
        let r = names[right]
        if l.isEmpty != r.isEmpty { return !l.isEmpty }
        return l != r ? l < r : left < right
      }
      if direction == .desc { order.reverse() }
      positions = order.map { positions[$0] }
    }
    cached.withLock { $0 = (key, positions) }
    return positions
  }
}

/// The sources of a snapshot as the TUI and the commands take them: ready offline clients
/// for the sources it holds, and tabs that say why for the others.
public enum SnapshotSources {
  public static func setups(_ snapshot: Snapshot) -> [SourceSetup] {
    SourceID.allCases.map { source in
      if let absence = snapshot.absence(of: source) {
        return .missing(source: source, hint: absence)
      }
      let pages = SnapshotPages(source: source, records: snapshot.records[source] ?? [])
      return .ready(.offline(provider: provider(for: source), pages: pages))
    }
  }

  /// The provider that shows a source's records (its columns, cells, detail sections); the
  /// organization ids only go into requests, which an offline client never sends.
  public static func provider(for source: SourceID) -> any Provider {
    source.descriptor.offlineProvider()
  }
}
