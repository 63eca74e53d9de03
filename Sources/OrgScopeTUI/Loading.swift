import OrgScopeCore

/// Showing tabs, applying queries, and what arriving pages do to a tab.
extension App {
  static func showTab(_ state: inout AppState, _ index: Int) -> [Command] {
    guard state.tabs.indices.contains(index) else { return [] }
    if state.focus != .help { state.focus = .list }
    if state.active != index { state.status = nil }
    state.active = index
    // The users tab's detail pane shows each user's assignments: they load with it.
    let people = isPeopleTab(state.tabs[index]) ? loadPeople(&state, again: false) : []
    if !state.tabs[index].shown {
      state.tabs[index].shown = true
      if state.tabs[index].provider != nil {
        return people + applyQuery(&state, index, state.tabs[index].query)
      }
    }
    return people + ensureLoading(&state, index)
  }

  static func setSearch(
    _ state: inout AppState, _ tab: Int, _ text: String, immediate: Bool
  )
    -> [Command]
  {
    state.tabs[tab].searchText = text
    state.tabs[tab].debounceToken += 1
    var query = state.tabs[tab].query
    query.search = text
    if state.tabs[tab].capabilities.serverSearch && !immediate {
      return [
        .debounce(
          tab: tab, token: state.tabs[tab].debounceToken, milliseconds: searchDebounceMilliseconds)
      ]
    }
    return applyQuery(&state, tab, query)
  }

  /// What the server is asked for: without the search text when the source cannot search.
  /// A server that searches only by "contains" still gets the text (a superset of the
  /// other modes), and the local filter narrows its answer.
  static func serverQuery(_ query: Query, capabilities: SourceCapabilities) -> Query {
    var server = query
    if !capabilities.serverSearch {
      server.search = ""
      server.match = .contains
    }
    return server
  }

  /// Makes `query` the tab's query: switches to the listing for its server part (a cached
  /// one, or a new generation) and refreshes the local filter.
  static func applyQuery(_ state: inout AppState, _ index: Int, _ query: Query) -> [Command] {
    var tab = state.tabs[index]
    let previousSearch = tab.filtersLocally ? tab.query.search : nil
    let previousMatch = tab.query.match
    tab.query = query
    tab.searchText = query.search
    // The server sorts now (the filters dialog): no second order over it.
    if query.sortByName != nil { tab.localSort = nil }
    let server = serverQuery(query, capabilities: tab.capabilities)
    var switched = false
    if tab.listing?.query != server || tab.current == nil {
      switched = true
      if let found = tab.listings.firstIndex(where: { $0.query == server }) {
        let listing = tab.listings.remove(at: found)
        tab.listings.append(listing)
      } else {
        tab.listings.append(
          Listing(
            query: server, generation: state.nextGeneration, source: tab.source,
            recordCap: tab.recordCap))
        state.nextGeneration += 1
        while tab.listings.count > max(1, state.listingCacheLimit) { tab.listings.removeFirst() }
      }
      tab.current = tab.listings.count - 1
    }
    let refine = switched || previousMatch != query.match ? nil : previousSearch
    refilter(&tab, refiningFrom: refine)
    tab.cursor = 0
    tab.top = 0
    tab.detailScroll = 0
    state.tabs[index] = tab
    if tab.whoCanWaits { return answerWhoCan(&state, index) }
    return ensureLoading(&state, index)
  }

  /// Loads the tab again from the first page, and selects the same record (by id, at the
  /// same row on screen) once it is back.
  static func reload(_ state: inout AppState, _ index: Int) -> [Command] {
    guard state.tabs.indices.contains(index), state.tabs[index].provider != nil else { return [] }
    let tab = state.tabs[index]
    let keep = tab.selected.map {
      PendingSelection(id: $0.id, offset: max(0, tab.cursor - tab.top))
    }
    let detailScroll = tab.detailScroll
    state.tabs[index].listings.removeAll()
    state.tabs[index].current = nil
    state.tabs[index].rows = nil
    state.tabs[index].shown = true
    state.tabs[index].pendingSelection = keep
    // The users tab: their assignments are loaded again too (a load under way is stopped).
    var people: [Command] = []
    if isPeopleTab(state.tabs[index]) {
      if case .loading = state.people.phase { people = [.stopPeople(number: state.people.number)] }
      state.people.forget()
      people += loadPeople(&state, again: true)
    }
    let commands = people + applyQuery(&state, index, state.tabs[index].query)
    if keep != nil { state.tabs[index].detailScroll = detailScroll }
    return commands
  }

  /// After a reload, once the selected record is loaded again: select it where it was.
  static func restoreSelection(_ state: inout AppState, _ index: Int) {
    guard let keep = state.tabs[index].pendingSelection, let listing = state.tabs[index].listing
    else { return }
    let tab = state.tabs[index]
    if let row = (0..<tab.rowCount).first(where: { tab.record(at: $0)?.id == keep.id }) {
      state.tabs[index].cursor = row
      state.tabs[index].top = max(0, row - keep.offset)
      state.tabs[index].pendingSelection = nil
      scrollIntoView(&state, index)
    } else if listing.exhausted || listing.error != nil {
      state.tabs[index].pendingSelection = nil
    }
  }

  /// Asks for the next page when the list needs it: the first page, a page ahead of the
  /// cursor, or (while a local filter looks for more matches) every page in turn. At most
  /// one request per listing is in flight; which page comes next is the paging engine's
  /// (each cursor requested once).
  static func ensureLoading(_ state: inout AppState, _ index: Int) -> [Command] {
    guard state.tabs.indices.contains(index), state.tabs[index].shown,
      state.tabs[index].provider != nil, let current = state.tabs[index].current
    else { return [] }
    let tab = state.tabs[index]
    var listing = tab.listings[current]
    guard listing.canFetchMore else { return [] }
    let needed: Bool
    if !listing.started || tab.filtersLocally || tab.whoCanWaits || tab.loadingToEnd != nil
      || tab.pendingSelection != nil
    {
      needed = true
    } else {
      let layout = Layout(state)
      let ahead = max(listing.lastPageSize, 2 * layout.listRows)
      needed = max(tab.cursor, tab.top + layout.listRows - 1) + ahead >= tab.rowCount
    }
    guard needed else { return [] }
    let cursor: PageCursor?
    if listing.started {
      cursor = listing.next
    } else {
      guard case .fetch(let first) = listing.paging.start() else { return [] }
      cursor = first
      listing.started = true
    }
    listing.inFlight = .some(cursor)
    state.tabs[index].listings[current] = listing
    return [
      .fetch(
        FetchRequest(
          tab: index, source: tab.source, generation: listing.generation,
          query: listing.query, cursor: cursor))
    ]
  }

  static func pageLoaded(
    _ state: inout AppState, tab index: Int, generation: Int, cursor: PageCursor?, page: Page
  ) -> [Command] {
    guard state.tabs.indices.contains(index),
      let position = state.tabs[index].listings.firstIndex(where: { $0.generation == generation }),
      state.tabs[index].listings[position].inFlight == .some(cursor)
    else { return [] }
    // Mutated in place: a copy of the listing would copy every loaded record per page.
    update(&state.tabs[index].listings[position]) { listing in
      listing.inFlight = nil
      listing.error = nil
      listing.next = nil
      do {
        // Checked before it is kept: a page past the record cap, or one that only repeats
        // records, is not added.
        switch try listing.paging.next(after: page) {
        case .fetch(let next): listing.next = next
        case .end: listing.exhausted = true
        }
      } catch {
        // A server that would page forever: stopped with the CLI's own line.
        listing.error = (error as? OrgScopeError)?.description ?? "\(error)"
        return
      }
      listing.records += page.records
      listing.searchIndex.append(page.records)
      listing.pagesLoaded += 1
      listing.lastPageSize = page.records.count
      if let total = page.total { listing.total = total }
    }
    if position == state.tabs[index].current, state.tabs[index].ordersLocally {
      extendRows(&state.tabs[index])
    }
    if state.tabs[index].listings[position].error != nil {
      state.tabs[index].loadingToEnd = nil
      state.tabs[index].pendingSelection = nil
      return []
    }
    guard position == state.tabs[index].current else { return ensureLoading(&state, index) }
    restoreSelection(&state, index)
    if state.tabs[index].whoCanWaits {
      return answerWhoCan(&state, index)
    }
    if let next = state.tabs[index].loadingToEnd {
      let listing = state.tabs[index].listings[position]
      if listing.exhausted {
        state.tabs[index].loadingToEnd = nil
        return finishToEnd(&state, index, next)
      }
      if next == .last, index == state.active {
        return move(&state, Int.max / 2) + ensureLoading(&state, index)
      }
    }
    return ensureLoading(&state, index)
  }

  static func update(_ listing: inout Listing, _ change: (inout Listing) -> Void) {
    change(&listing)
  }
}
