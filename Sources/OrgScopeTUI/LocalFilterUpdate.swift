import OrgScopeCore

/// The local filter (`/` on sources without server search) and its index.
extension App {
  /// Recomputes the rows that pass the local filter. When the new search only narrows the
  /// previous one, it filters the previous rows instead of every record; when it was
  /// computed a moment ago (a letter typed, then erased), it continues from that result.
  static func refilter(_ tab: inout SourceTab, refiningFrom previous: String?) {
    filterRows(&tab, refiningFrom: previous)
    sortRows(&tab)
  }

  static func filterRows(_ tab: inout SourceTab, refiningFrom previous: String?) {
    if tab.fieldFilter != nil, let listing = tab.listing {
      tab.rows = localRows(tab, listing, 0..<listing.records.count)
      tab.scanned = listing.records.count
      noteMissingFields(&tab)
      return
    }
    guard tab.filtersLocally, let listing = tab.listing else {
      tab.rows = nil
      tab.scanned = tab.listing?.records.count ?? 0
      return
    }
    let index = listing.searchIndex
    let search = tab.query.search
    let match = tab.query.match
    let count = listing.records.count
    if let memo = tab.filterMemo.last(where: {
      $0.search == search && $0.match == match && $0.generation == listing.generation
    }) {
      tab.rows =
        memo.scanned == count
        ? memo.rows
        : memo.rows + index.filter(search, mode: match, candidates: memo.scanned..<count)
    } else if let previous, let rows = tab.rows, tab.scanned == count, narrows(tab.query, previous)
    {
      tab.rows = index.filter(search, mode: match, candidates: rows)
    } else {
      tab.rows = index.filter(search, mode: match, candidates: 0..<count)
    }
    tab.scanned = count
    if !search.isEmpty, let rows = tab.rows {
      tab.filterMemo.removeAll {
        ($0.search == search && $0.match == match) || $0.generation != listing.generation
      }
      tab.filterMemo.append(
        FilterMemo(
          search: search, match: match, generation: listing.generation, rows: rows, scanned: count
        ))
      if tab.filterMemo.count > FilterMemo.limit { tab.filterMemo.removeFirst() }
    }
  }

  /// Whether every record `query` accepts was also accepted by the `previous` search text
  /// (same match mode), so only the previous matches need to be looked at again.
  static func narrows(_ query: Query, _ previous: String) -> Bool {
    let text = query.search.lowercased()
    let old = previous.lowercased()
    switch query.match {
    case .contains: return text.contains(old)
    case .startsWith: return text.hasPrefix(old)
    case .endsWith: return text.hasSuffix(old)
    }
  }

  /// With a field filter: the rows of `range` that pass the local search (when the search
  /// runs here) and every term of the filter.
  static func localRows(_ tab: SourceTab, _ listing: Listing, _ range: Range<Int>)
    -> [Int]
  {
    let searched =
      tab.searchesLocally
      ? listing.searchIndex.filter(tab.query.search, mode: tab.query.match, candidates: range)
      : Array(range)
    guard let filter = tab.fieldFilter else { return searched }
    return searched.filter { filter.matches(listing.records[$0]) }
  }

  /// Filtered anyway before the last page (`w`, Enter twice): once every record is loaded,
  /// a field none has is said again, so that "0 matches" never stands alone for a
  /// misspelling.
  static func noteMissingFields(_ tab: inout SourceTab) {
    guard let filter = tab.fieldFilter, tab.listing?.exhausted == true else {
      tab.whereMissing = nil
      return
    }
    tab.whereMissing = missingFields(filter, in: tab)
  }

  static func extendRows(_ tab: inout SourceTab) {
    guard let listing = tab.listing, var rows = tab.rows else {
      refilter(&tab, refiningFrom: nil)
      return
    }
    tab.rows = nil  // so appending does not copy the array
    let new = localRows(tab, listing, tab.scanned..<listing.records.count)
    tab.scanned = listing.records.count
    noteMissingFields(&tab)
    if tab.localSort != nil {
      mergeSorted(&tab, rows, adding: new)
    } else {
      rows += new
      tab.rows = rows
    }
  }
}
