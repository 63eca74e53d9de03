import Foundation
import OrgScopeCore

/// One source of a snapshot served as pages, answering a query as the provider's server
/// would (search, product group, resource types, sort by name), so an offline tab, `list`
/// and the role audit behave as they do live. Filters the server does not apply are left
/// to the caller, as they are live.
public final class SnapshotPages: PageSource, @unchecked Sendable {
  public let source: SourceID
  public let records: [Record]
  let capabilities: SourceCapabilities
  /// Records per page: small enough for the TUI's first frame, large enough for `list`.
  public let pageSize: Int
  private let lock = NSLock()
  /// The last query's matching record positions: every page of one listing reuses them.
  private var cached: (query: Query, positions: [Int])?

  public init(
    source: SourceID, records: [Record], capabilities: SourceCapabilities, pageSize: Int = 500
  ) {
    self.source = source
    self.records = records
    self.capabilities = capabilities
    self.pageSize = max(1, pageSize)
  }

  public func page(query: Query, cursor: PageCursor?) async throws -> Page {
    if query.parentID.map({ !$0.isEmpty }) ?? false {
      throw OrgScopeError.usage(
        "\(source.rawValue): a snapshot does not record each account's parent; clear the OU filter"
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
    if let cached = lock.withLock({ cached }), cached.query == key { return cached.positions }
    var positions = Array(records.indices)
    if !query.search.isEmpty, capabilities.serverSearch,
      capabilities.serverMatchModes.contains(query.match)
    {
      let matcher = LocalFilter.Matcher(query)
      positions = positions.filter { matcher.matches(records[$0]) }
    }
    if capabilities.productGroup, let group = query.productGroup?.lowercased(), !group.isEmpty {
      positions = positions.filter {
        records[$0].fields["product_group"]?.string?.lowercased() == group
      }
    }
    if capabilities.resourceTypes, let text = query.resourceTypes {
      let wanted = Set(
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
          .filter { !$0.isEmpty })
      if !wanted.isEmpty {
        positions = positions.filter { position in
          let types = records[position].fields["resource_types"]?.array?.compactMap(\.string)
          return !(Set((types ?? []).map { $0.lowercased() }).isDisjoint(with: wanted))
        }
      }
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
    lock.withLock { cached = (key, positions) }
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
      let provider = Self.provider(for: source)
      let pages = SnapshotPages(
        source: source, records: snapshot.records[source] ?? [],
        capabilities: provider.capabilities)
      return .ready(.offline(provider: provider, pages: pages))
    }
  }

  /// The provider that shows a source's records (its columns, cells, detail sections); the
  /// organization ids only go into requests, which an offline client never sends.
  public static func provider(for source: SourceID) -> any Provider {
    switch source {
    case .twilioAccounts: return TwilioAccountsProvider(organizationSID: "")
    case .twilioRoles: return TwilioRolesProvider()
    case .cloudflare: return CloudflareProvider(organizationID: "")
    case .sendgrid: return SendGridProvider()
    case .huawei: return HuaweiProvider()
    }
  }
}
