import OrgScopeCore

/// The list's order (`s` / `S`): a column and a direction.
public struct ListSort: Sendable, Hashable {
  /// Index into the tab's columns.
  public var column: Int
  public var descending: Bool

  public init(column: Int, descending: Bool = false) {
    self.column = column
    self.descending = descending
  }
}

/// Each loaded record's sort key for one column of one listing, extended page by page so
/// that a page arriving costs a merge, not a new sort.
struct SortKeys: Sendable {
  var generation: Int
  var column: Int
  var keys: [String] = []
}

extension SourceTab {
  /// The column the server can sort by (Cloudflare `order_by=account_name`), if any.
  var serverSortColumn: Int? {
    capabilities.sort ? columns.firstIndex(where: \.flexible) : nil
  }

  /// The order the list is in, and whether the server made it.
  public var sort: (order: ListSort, server: Bool)? {
    if let localSort { return (localSort, false) }
    if let direction = query.sortByName, let column = serverSortColumn {
      return (ListSort(column: column, descending: direction == .desc), true)
    }
    return nil
  }

  /// Rows are computed here (a local filter, or a sort of the loaded rows).
  var ordersLocally: Bool { filtersLocally || localSort != nil }
}

extension App {
  /// `s` (next column, then back to the server's order) and `S` (reverse). The server
  /// sorts where its API can (Cloudflare by name); otherwise the loaded rows are sorted
  /// here, and the status line says so. The list starts again from its first row.
  static func cycleSort(_ state: inout AppState, reverse: Bool) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), state.tabs[index].provider != nil,
      !state.tabs[index].columns.isEmpty
    else { return [] }
    if state.tabs[index].audit != nil {
      state.status = StatusMessage(
        level: .warn, text: "a who-can answer keeps its own order: Esc leaves it, then s")
      return []
    }
    let tab = state.tabs[index]
    let current = tab.sort?.order
    let next: ListSort?
    if reverse {
      next = ListSort(column: current?.column ?? 0, descending: !(current?.descending ?? false))
    } else {
      let column = (current?.column ?? -1) + 1
      next = column < tab.columns.count ? ListSort(column: column) : nil
    }
    var query = tab.query
    if let next, next.column == tab.serverSortColumn {
      query.sortByName = next.descending ? .desc : .asc
      state.tabs[index].localSort = nil
    } else {
      query.sortByName = nil
      state.tabs[index].localSort = next
    }
    let commands: [Command]
    if query != tab.query {
      // A new order from the server: a new listing, from its first record.
      commands = applyQuery(&state, index, query)
    } else {
      // A new order is read from its top, as the server's would be.
      refilter(&state.tabs[index], refiningFrom: nil)
      state.tabs[index].cursor = 0
      state.tabs[index].top = 0
      state.tabs[index].detailScroll = 0
      commands = ensureLoading(&state, index)
    }
    state.status = StatusMessage(level: .info, text: sortDescription(state.tabs[index]))
    return commands
  }

  /// "sorted by Status ↑ over 4,000 loaded rows (G loads the rest)", "sorted by Name ↓ on
  /// the server", "the server's order".
  static func sortDescription(_ tab: SourceTab) -> String {
    guard let (order, server) = tab.sort, tab.columns.indices.contains(order.column) else {
      return "unsorted: the server's order"
    }
    let what =
      "sorted by \(tab.columns[order.column].title) \(order.descending ? "descending" : "ascending")"
    if server { return what + " on the server" }
    guard let listing = tab.listing else { return what }
    let loaded = listing.records.count.formatted
    if listing.exhausted { return what + " (all \(loaded) rows, here)" }
    return what + " over the \(loaded) loaded rows (here; G loads the rest)"
  }

  /// Sorts the tab's rows by its local sort, computing the keys it lacks.
  static func sortRows(_ tab: inout SourceTab) {
    guard let order = tab.localSort, let listing = tab.listing else { return }
    updateSortKeys(&tab, listing, column: order.column)
    guard let keys = tab.sortKeys?.keys else { return }
    var rows = tab.rows ?? Array(listing.records.indices)
    tab.rows = nil
    sortInPlace(&rows, keys, descending: order.descending)
    tab.rows = rows
    tab.scanned = listing.records.count
  }

  /// New rows (from a page that arrived) merged into the sorted ones; the cursor stays on
  /// its record.
  static func mergeSorted(_ tab: inout SourceTab, _ rows: [Int], adding new: [Int]) {
    guard let order = tab.localSort, let listing = tab.listing else {
      tab.rows = rows + new
      return
    }
    updateSortKeys(&tab, listing, column: order.column)
    guard let keys = tab.sortKeys?.keys else {
      tab.rows = rows + new
      return
    }
    var added = new
    sortInPlace(&added, keys, descending: order.descending)
    var merged: [Int] = []
    merged.reserveCapacity(rows.count + added.count)
    var i = 0
    var j = 0
    var before = 0
    while i < rows.count || j < added.count {
      if j < added.count,
        i == rows.count || precedes(added[j], rows[i], keys, descending: order.descending)
      {
        if i <= tab.cursor && i < rows.count { before += 1 }
        merged.append(added[j])
        j += 1
      } else {
        merged.append(rows[i])
        i += 1
      }
    }
    tab.rows = merged
    if before > 0 && !rows.isEmpty && tab.audit == nil {
      tab.cursor += before
      tab.top += before
    }
  }

  private static func updateSortKeys(_ tab: inout SourceTab, _ listing: Listing, column: Int) {
    guard let provider = tab.provider else { return }
    if tab.sortKeys?.generation != listing.generation || tab.sortKeys?.column != column {
      tab.sortKeys = SortKeys(generation: listing.generation, column: column)
    }
    guard var cache = tab.sortKeys, cache.keys.count < listing.records.count else { return }
    tab.sortKeys = nil  // so appending does not copy the keys
    for record in listing.records[cache.keys.count...] {
      let cells = provider.cells(of: record)
      cache.keys.append(cells.indices.contains(column) ? cells[column].lowercased() : "")
    }
    tab.sortKeys = cache
  }

  /// Empty values last in either direction; equal values keep the server's order.
  private static func precedes(_ a: Int, _ b: Int, _ keys: [String], descending: Bool) -> Bool {
    let (x, y) = (keys[a], keys[b])
    if x == y { return a < b }
    if x.isEmpty || y.isEmpty { return y.isEmpty }
    return descending ? x > y : x < y
  }

  private static func sortInPlace(_ rows: inout [Int], _ keys: [String], descending: Bool) {
    rows.sort { precedes($0, $1, keys, descending: descending) }
  }
}
