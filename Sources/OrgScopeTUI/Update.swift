import OrgScopeCore

/// The pure heart of the UI: `update` turns a message into a new state and the commands to
/// run. It does no I/O and reads no clock, so tests drive it with plain messages.
public enum App {
  /// Debounce for server-side search, so a burst of keystrokes sends one request.
  public static let searchDebounceMilliseconds = 200

  /// The commands to run at start: the first tab is shown and loads its first page.
  public static func start(_ state: inout AppState) -> [Command] {
    showTab(&state, state.active)
  }

  /// How long a status message stays.
  public static let statusMilliseconds = 4000

  /// Applies `message` to `state` and returns the commands it asks for. A new status
  /// message comes with the timer that fades it.
  public static func update(_ state: inout AppState, _ message: Message) -> [Command] {
    let token = state.statusToken
    var commands = handle(&state, message)
    if state.statusToken != token, state.status != nil {
      commands.append(.expireStatus(token: state.statusToken, milliseconds: statusMilliseconds))
    }
    return commands
  }

  private static func handle(_ state: inout AppState, _ message: Message) -> [Command] {
    switch message {
    case .key(let key):
      return handleKey(&state, key)
    case .mouse(let event):
      return mouse(&state, event)
    case .resize(let width, let height):
      state.width = max(1, width)
      state.height = max(1, height)
      for index in state.tabs.indices { scrollIntoView(&state, index) }
      return ensureLoading(&state, state.active)
    case .pageLoaded(let tab, let generation, let cursor, let page):
      let commands = pageLoaded(
        &state, tab: tab, generation: generation, cursor: cursor, page: page)
      noteChanges(&state, tab)
      return commands
    case .pageFailed(let tab, let generation, let cursor, let error):
      guard state.tabs.indices.contains(tab),
        let index = state.tabs[tab].listings.firstIndex(where: { $0.generation == generation }),
        state.tabs[tab].listings[index].inFlight == .some(cursor)
      else { return [] }
      state.tabs[tab].listings[index].inFlight = nil
      state.tabs[tab].listings[index].error = error
      state.tabs[tab].loadingToEnd = nil
      state.tabs[tab].pendingSelection = nil
      return []
    case .debounceFired(let tab, let token):
      guard state.tabs.indices.contains(tab) else { return [] }
      if let who = state.tabs[tab].whoCan, who.token == token, who.text != who.query {
        return applyWhoCan(&state, tab)
      }
      guard state.tabs[tab].debounceToken == token else { return [] }
      var query = state.tabs[tab].query
      query.search = state.tabs[tab].searchText
      return applyQuery(&state, tab, query)
    case .exported(let path, let count):
      state.status = StatusMessage(
        level: .info, text: "exported \(count.formatted) rows to \(path)")
      return []
    case .exportFailed(let text):
      state.status = StatusMessage(level: .error, text: "export failed: \(text)")
      return []
    case .status(let status):
      state.status = status
      return []
    case .statusExpired(let token):
      if token == state.statusToken { state.status = nil }
      return []
    }
  }

  // MARK: - Keys

  static func handleKey(_ state: inout AppState, _ key: Key) -> [Command] {
    if key == .ctrl("c") {
      state.quitting = true
      return [.quit]
    }
    // Loading every page for `G` or an export: any key stops it.
    if state.tabs.indices.contains(state.active), state.tabs[state.active].loadingToEnd != nil {
      state.tabs[state.active].loadingToEnd = nil
      let loaded = state.tabs[state.active].listing?.records.count ?? 0
      state.status = StatusMessage(
        level: .warn, text: "stopped: \(loaded.formatted) rows loaded")
      return []
    }
    switch state.focus {
    case .help: return helpKey(&state, key)
    case .search: return searchKey(&state, key)
    case .whoCan: return whoCanKey(&state, key)
    case .detailSearch: return detailSearchKey(&state, key)
    case .wherePrompt: return whereKey(&state, key)
    case .filters: return filterKey(&state, key)
    case .exportPrompt: return exportKey(&state, key)
    case .raw: return rawKey(&state, key)
    case .list, .detail: return browseKey(&state, key)
    }
  }

  private static func browseKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let tab = state.active
    let inDetail = state.focus == .detail
    switch key {
    case .character("q"):
      state.quitting = true
      return [.quit]
    case .tab: return showTab(&state, (state.active + 1) % max(1, state.tabs.count))
    case .backTab:
      return showTab(&state, (state.active + state.tabs.count - 1) % max(1, state.tabs.count))
    case .character(let digit) where ("1"..."9").contains(digit):
      guard let number = digit.wholeNumberValue, state.tabs.indices.contains(number - 1) else {
        return []
      }
      return showTab(&state, number - 1)
    case .character("j"), .down: return inDetail ? scrollDetail(&state, 1) : move(&state, 1)
    case .character("k"), .up: return inDetail ? scrollDetail(&state, -1) : move(&state, -1)
    case .pageDown, .ctrl("f"), .ctrl("d"):
      let page = inDetail ? Layout(state).detailRows : Layout(state).listRows
      return inDetail ? scrollDetail(&state, page) : move(&state, page)
    case .pageUp, .ctrl("b"), .ctrl("u"):
      let page = inDetail ? Layout(state).detailRows : Layout(state).listRows
      return inDetail ? scrollDetail(&state, -page) : move(&state, -page)
    case .character("g"), .home:
      return inDetail ? scrollDetail(&state, Int.min / 2) : move(&state, Int.min / 2)
    case .character("G"), .end:
      return inDetail ? scrollDetail(&state, Int.max / 2) : goToEnd(&state, tab, then: .last)
    case .enter, .right, .character("l"):
      if !inDetail, state.tabs.indices.contains(tab), state.tabs[tab].selected != nil {
        state.focus = .detail
      }
      return []
    case .escape, .left, .character("h"):
      if inDetail {
        state.focus = .list
      } else if key == .escape, state.tabs.indices.contains(tab),
        state.tabs[tab].whoCan != nil
      {
        clearWhoCan(&state, tab)
      } else if key == .escape, state.tabs.indices.contains(tab),
        state.tabs[tab].fieldFilter != nil
      {
        return setFieldFilter(&state, tab, nil)
      } else if key == .escape, state.tabs.indices.contains(tab),
        !state.tabs[tab].searchText.isEmpty
      {
        return setSearch(&state, tab, "", immediate: true)
      }
      return []
    case .character("/"):
      guard state.tabs.indices.contains(tab), state.tabs[tab].provider != nil else { return [] }
      state.focus = inDetail ? .detailSearch : .search
      return []
    case .character("n") where inDetail:
      findInDetail(&state, forward: true, from: 1)
      return []
    case .character("N") where inDetail:
      findInDetail(&state, forward: false, from: -1)
      return []
    case .character("n"), .character("N"):
      // Next / previous match: the list shows only matches, so the next row, wrapping.
      guard state.tabs.indices.contains(tab), Canvas.isFiltered(state.tabs[tab]) else {
        state.status = StatusMessage(
          level: .warn, text: "n and N move between the matches of a search: / first")
        return []
      }
      let count = state.tabs[tab].rowCount
      guard count > 0 else { return [] }
      let step = key == .character("n") ? 1 : count - 1
      let target = (state.tabs[tab].cursor + step) % count
      return move(&state, target - state.tabs[tab].cursor)
    case .character("s"), .character("S"):
      return cycleSort(&state, reverse: key == .character("S"))
    case .character("p"):
      return openWhoCan(&state)
    case .character("c"):
      return toggleChanges(&state)
    case .character("w"):
      guard state.tabs.indices.contains(tab), state.tabs[tab].provider != nil else { return [] }
      state.tabs[tab].whereError = nil
      state.focus = .wherePrompt
      return []
    case .character("?"):
      state.focus = .help
      state.helpScroll = 0
      return []
    case .character("f"):
      openFilters(&state)
      return []
    case .character("r"):
      let commands = reload(&state, tab)
      if state.tabs.indices.contains(tab), state.tabs[tab].provider != nil {
        state.status = StatusMessage(
          level: .info, text: "reloading \(state.tabs[tab].source.title)")
      }
      return commands
    case .character("R"):
      var commands: [Command] = []
      var count = 0
      for index in state.tabs.indices where state.tabs[index].provider != nil {
        commands += reload(&state, index)
        count += 1
      }
      state.status = StatusMessage(level: .info, text: "reloading all \(count) sources")
      return commands
    case .character("y"):
      guard let record = state.activeTab?.selected else { return [] }
      // What lands on the clipboard may be pasted into a shell: no control characters.
      return [.copy(Sanitizer.clean(record.id))]
    case .character("Y"):
      // JSON escapes every control character: the record whole, safe to paste.
      guard let record = state.activeTab?.selected else { return [] }
      return [.copy(JSONWriter.compact(.object(record.fields)))]
    case .character("v"):
      guard state.activeTab?.selected != nil else { return [] }
      state.focus = .raw
      state.rawScroll = 0
      return []
    case .character("e"):
      guard let active = state.activeTab, active.rowCount > 0 else {
        state.status = StatusMessage(level: .warn, text: "nothing to export")
        return []
      }
      state.focus = .exportPrompt
      return []
    case .character(let character):
      state.status = StatusMessage(
        level: .warn, text: "unknown key \(Sanitizer.clean(String(character))) — ? for help")
      return []
    default:
      state.status = StatusMessage(level: .warn, text: "unknown key — ? for help")
      return []
    }
  }

  /// `G`/End: the very last record, loading every page first (any key stops it); also
  /// "export all rows".
  static func goToEnd(_ state: inout AppState, _ index: Int, then next: ToEnd) -> [Command] {
    guard state.tabs.indices.contains(index), let listing = state.tabs[index].listing else {
      return []
    }
    if listing.exhausted || listing.error != nil {
      state.tabs[index].loadingToEnd = nil
      return finishToEnd(&state, index, next)
    }
    state.tabs[index].loadingToEnd = next
    // Moving asks for the next page itself when it needs one.
    let moved = next == .last ? move(&state, Int.max / 2) : []
    return moved + ensureLoading(&state, index)
  }

  private static func finishToEnd(_ state: inout AppState, _ index: Int, _ next: ToEnd)
    -> [Command]
  {
    switch next {
    case .last:
      state.tabs[index].cursor = max(0, state.tabs[index].rowCount - 1)
      scrollIntoView(&state, index)
      return []
    case .export(let format):
      return exportRows(&state, index, format)
    }
  }

  private static func exportRows(
    _ state: inout AppState, _ index: Int, _ format: ExportRequest.Format
  ) -> [Command] {
    let tab = state.tabs[index]
    let records = (0..<tab.rowCount).compactMap { tab.record(at: $0) }
    state.status = StatusMessage(level: .info, text: "exporting \(records.count.formatted) rows…")
    return [.export(ExportRequest(format: format, source: tab.source, records: records))]
  }

  private static func rawKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let page = Layout(state).listRows
    defer {
      // Kept within the text, so that moving back up starts from what is on screen.
      let lines =
        state.activeTab?.selected.map {
          JSONWriter.pretty(.object($0.fields)).split(separator: "\n").count
        } ?? 0
      state.rawScroll = max(0, min(state.rawScroll, lines - (state.height - 4)))
    }
    switch key {
    case .character("j"), .down: state.rawScroll += 1
    case .character("k"), .up: state.rawScroll = max(0, state.rawScroll - 1)
    case .pageDown, .character(" "), .ctrl("f"), .ctrl("d"): state.rawScroll += page
    case .pageUp, .ctrl("b"), .ctrl("u"): state.rawScroll = max(0, state.rawScroll - page)
    case .character("g"), .home: state.rawScroll = 0
    case .character("G"), .end: state.rawScroll = Int.max / 2
    case .character("y"), .character("Y"):
      guard let record = state.activeTab?.selected else { return [] }
      return [.copy(JSONWriter.compact(.object(record.fields)))]
    default: state.focus = .list
    }
    return []
  }

  private static func helpKey(_ state: inout AppState, _ key: Key) -> [Command] {
    switch key {
    case .character("j"), .down: state.helpScroll += 1
    case .character("k"), .up: state.helpScroll = max(0, state.helpScroll - 1)
    case .pageDown, .character(" "): state.helpScroll += Layout(state).listRows
    case .pageUp: state.helpScroll = max(0, state.helpScroll - Layout(state).listRows)
    default: state.focus = .list
    }
    return []
  }

  private static func searchKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let tab = state.active
    guard state.tabs.indices.contains(tab) else {
      state.focus = .list
      return []
    }
    var text = state.tabs[tab].searchText
    switch key {
    case .enter:
      state.focus = .list
      return []
    case .escape:
      state.focus = .list
      return setSearch(&state, tab, "", immediate: true)
    case .backspace, .ctrl("h"):
      guard !text.isEmpty else { return [] }
      text.removeLast()
      return setSearch(&state, tab, text, immediate: false)
    case .ctrl("u"):
      return setSearch(&state, tab, "", immediate: false)
    case .down: return move(&state, 1)
    case .up: return move(&state, -1)
    case .pageDown: return move(&state, Layout(state).listRows)
    case .pageUp: return move(&state, -Layout(state).listRows)
    case .tab, .backTab:
      state.focus = .list
      return browseKey(&state, key)
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      text.append(character)
      return setSearch(&state, tab, text, immediate: false)
    default:
      return []
    }
  }

  /// `j`/`c`: the loaded rows as JSON/CSV; `J`/`C`: every row (the rest is loaded first).
  /// Either way what the list shows: the search and the filters apply.
  private static func exportKey(_ state: inout AppState, _ key: Key) -> [Command] {
    state.focus = .list
    let index = state.active
    guard state.tabs.indices.contains(index) else { return [] }
    switch key {
    case .character("j"): return exportRows(&state, index, .json)
    case .character("c"): return exportRows(&state, index, .csv)
    case .character("J"): return goToEnd(&state, index, then: .export(.json))
    case .character("C"): return goToEnd(&state, index, then: .export(.csv))
    default: return []
    }
  }

  // MARK: - Filters dialog

  private static func openFilters(_ state: inout AppState) {
    guard let tab = state.activeTab else { return }
    guard tab.provider != nil else {
      state.status = StatusMessage(level: .warn, text: "\(tab.source.title) is not configured")
      return
    }
    var fields: [FilterDialog.Field] = [.match]
    for filter in tab.source.descriptor.filters {
      fields.append(.filter(name: filter.name, label: filter.label, isFlag: filter.isFlag))
    }
    if tab.capabilities.sort { fields.append(.sort) }
    state.filterDialog = FilterDialog(draft: tab.query, fields: fields)
    state.focus = .filters
  }

  private static func filterKey(_ state: inout AppState, _ key: Key) -> [Command] {
    guard var dialog = state.filterDialog, !dialog.fields.isEmpty else {
      state.focus = .list
      return []
    }
    let field = dialog.fields[min(dialog.selected, dialog.fields.count - 1)]
    defer { if state.focus == .filters { state.filterDialog = dialog } }
    switch key {
    case .escape:
      state.focus = .list
      state.filterDialog = nil
      return []
    case .enter:
      state.focus = .list
      state.filterDialog = nil
      state.status = StatusMessage(level: .info, text: "filters applied")
      var query = dialog.draft
      query.search = state.tabs[state.active].query.search
      return applyQuery(&state, state.active, query)
    case .down, .tab: dialog.selected = (dialog.selected + 1) % dialog.fields.count
    case .up, .backTab:
      dialog.selected = (dialog.selected + dialog.fields.count - 1) % dialog.fields.count
    case .left: cycle(&dialog.draft, field, by: -1)
    case .right: cycle(&dialog.draft, field, by: 1)
    case .character(" ") where !isTextField(field): cycle(&dialog.draft, field, by: 1)
    case .backspace:
      editText(&dialog.draft, field) { if !$0.isEmpty { $0.removeLast() } }
    case .character(let character):
      if isTextField(field), character.unicodeScalars.allSatisfy(Sanitizer.keeps) {
        editText(&dialog.draft, field) { $0.append(character) }
      } else if character == "j" {
        dialog.selected = (dialog.selected + 1) % dialog.fields.count
      } else if character == "k" {
        dialog.selected = (dialog.selected + dialog.fields.count - 1) % dialog.fields.count
      }
    default: break
    }
    return []
  }

  static func isTextField(_ field: FilterDialog.Field) -> Bool {
    if case .filter(_, _, let isFlag) = field { return !isFlag }
    return false
  }

  private static func editText(
    _ query: inout Query, _ field: FilterDialog.Field, _ edit: (inout String) -> Void
  ) {
    guard case .filter(let name, _, false) = field else { return }
    var text = query.filters[name] ?? ""
    edit(&text)
    query.filters[name] = text.isEmpty ? nil : text
  }

  private static func cycle(_ query: inout Query, _ field: FilterDialog.Field, by step: Int) {
    switch field {
    case .match:
      let all = MatchMode.allCases
      let index = all.firstIndex(of: query.match) ?? 0
      query.match = all[(index + step + all.count) % all.count]
    case .filter(let name, _, true):
      query.filters[name] = query.isOn(name) ? nil : "true"
    case .sort:
      let all: [SortDirection?] = [nil, .asc, .desc]
      let index = all.firstIndex(of: query.sortByName) ?? 0
      query.sortByName = all[(index + step + all.count) % all.count]
    default: break
    }
  }

  // MARK: - Tabs, queries and loading

  static func showTab(_ state: inout AppState, _ index: Int) -> [Command] {
    guard state.tabs.indices.contains(index) else { return [] }
    if state.focus != .help { state.focus = .list }
    if state.active != index { state.status = nil }
    state.active = index
    if !state.tabs[index].shown {
      state.tabs[index].shown = true
      if state.tabs[index].provider != nil {
        return applyQuery(&state, index, state.tabs[index].query)
      }
    }
    return ensureLoading(&state, index)
  }

  private static func setSearch(
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
        tab.listings.append(Listing(query: server, generation: state.nextGeneration))
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
  private static func reload(_ state: inout AppState, _ index: Int) -> [Command] {
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
    let commands = applyQuery(&state, index, state.tabs[index].query)
    if keep != nil { state.tabs[index].detailScroll = detailScroll }
    return commands
  }

  /// After a reload, once the selected record is loaded again: select it where it was.
  private static func restoreSelection(_ state: inout AppState, _ index: Int) {
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
  /// one request per listing is in flight and each cursor is requested once.
  static func ensureLoading(_ state: inout AppState, _ index: Int) -> [Command] {
    guard state.tabs.indices.contains(index), state.tabs[index].shown,
      state.tabs[index].provider != nil, let current = state.tabs[index].current
    else { return [] }
    let tab = state.tabs[index]
    var listing = tab.listings[current]
    guard listing.canFetchMore else { return [] }
    let cursor: PageCursor? = listing.started ? listing.next : nil
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
    guard needed, !listing.requested.contains(cursor) else { return [] }
    listing.started = true
    listing.inFlight = .some(cursor)
    listing.requested.insert(cursor)
    state.tabs[index].listings[current] = listing
    return [
      .fetch(
        FetchRequest(
          tab: index, source: tab.source, generation: listing.generation,
          query: listing.query, cursor: cursor))
    ]
  }

  private static func pageLoaded(
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
      listing.records += page.records
      listing.searchIndex.append(page.records)
      listing.pagesLoaded += 1
      listing.lastPageSize = page.records.count
      if let total = page.total { listing.total = total }
      if let next = page.next, !listing.requested.contains(next) {
        listing.next = next
      } else {
        listing.next = nil
        listing.exhausted = true
      }
    }
    if position == state.tabs[index].current, state.tabs[index].ordersLocally {
      extendRows(&state.tabs[index])
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

  private static func update(_ listing: inout Listing, _ change: (inout Listing) -> Void) {
    change(&listing)
  }

  // MARK: - Local filter

  /// Recomputes the rows that pass the local filter. When the new search only narrows the
  /// previous one, it filters the previous rows instead of every record; when it was
  /// computed a moment ago (a letter typed, then erased), it continues from that result.
  static func refilter(_ tab: inout SourceTab, refiningFrom previous: String?) {
    filterRows(&tab, refiningFrom: previous)
    sortRows(&tab)
  }

  private static func filterRows(_ tab: inout SourceTab, refiningFrom previous: String?) {
    if tab.fieldFilter != nil, let listing = tab.listing {
      tab.rows = localRows(tab, listing, 0..<listing.records.count)
      tab.scanned = listing.records.count
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
  private static func localRows(_ tab: SourceTab, _ listing: Listing, _ range: Range<Int>)
    -> [Int]
  {
    let searched =
      tab.searchesLocally
      ? listing.searchIndex.filter(tab.query.search, mode: tab.query.match, candidates: range)
      : Array(range)
    guard let filter = tab.fieldFilter else { return searched }
    return searched.filter { filter.matches(listing.records[$0]) }
  }

  private static func extendRows(_ tab: inout SourceTab) {
    guard let listing = tab.listing, var rows = tab.rows else {
      refilter(&tab, refiningFrom: nil)
      return
    }
    tab.rows = nil  // so appending does not copy the array
    let new = localRows(tab, listing, tab.scanned..<listing.records.count)
    tab.scanned = listing.records.count
    if tab.localSort != nil {
      mergeSorted(&tab, rows, adding: new)
    } else {
      rows += new
      tab.rows = rows
    }
  }

  // MARK: - Moving

  static func move(_ state: inout AppState, _ delta: Int) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else { return [] }
    let count = state.tabs[index].rowCount
    let old = state.tabs[index].cursor
    let target = max(0, min(max(0, count - 1), old.addingReportingOverflow(delta).partialValue))
    state.tabs[index].cursor = target
    if target != old { state.tabs[index].detailScroll = 0 }
    scrollIntoView(&state, index)
    return ensureLoading(&state, index)
  }

  static func scrollIntoView(_ state: inout AppState, _ index: Int) {
    let rows = Layout(state).listRows
    var tab = state.tabs[index]
    tab.cursor = max(0, min(tab.cursor, max(0, tab.rowCount - 1)))
    if tab.cursor < tab.top { tab.top = tab.cursor }
    if tab.cursor >= tab.top + rows { tab.top = tab.cursor - rows + 1 }
    tab.top = max(0, min(tab.top, max(0, tab.rowCount - rows + 1)))
    state.tabs[index] = tab
  }

  static func scrollDetail(_ state: inout AppState, _ delta: Int) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), let record = state.tabs[index].selected else {
      return []
    }
    let layout = Layout(state)
    let total = DetailLayout.rows(
      for: record, in: state.tabs[index], width: layout.detail.width - 1
    ).count
    let maximum = max(0, total - layout.detailRows)
    let old = state.tabs[index].detailScroll
    state.tabs[index].detailScroll = max(
      0, min(maximum, old.addingReportingOverflow(delta).partialValue))
    return []
  }
}

extension Layout {
  init(_ state: AppState) { self.init(width: state.width, height: state.height) }
}

extension App {
  // MARK: - Who can (roles)

  private static func openWhoCan(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard let tab = state.activeTab, tab.provider != nil else { return [] }
    guard tab.capabilities.policies else {
      state.status = StatusMessage(
        level: .warn, text: "p asks who can do something: it works on the roles tab")
      return []
    }
    if state.tabs[index].whoCan == nil { state.tabs[index].whoCan = WhoCan() }
    state.focus = .whoCan
    return []
  }

  private static func whoCanKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), var who = state.tabs[index].whoCan else {
      state.focus = .list
      return []
    }
    switch key {
    case .enter:
      state.focus = .list
      return who.text != who.query ? applyWhoCan(&state, index) : []
    case .escape:
      state.focus = .list
      clearWhoCan(&state, index)
      return []
    case .backspace, .ctrl("h"):
      guard !who.text.isEmpty else { return [] }
      who.text.removeLast()
    case .ctrl("u"):
      who.text = ""
    case .down: return move(&state, 1)
    case .up: return move(&state, -1)
    case .pageDown: return move(&state, Layout(state).listRows)
    case .pageUp: return move(&state, -Layout(state).listRows)
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      who.text.append(character)
    default:
      return []
    }
    state.tabs[index].debounceToken += 1
    who.token = state.tabs[index].debounceToken
    state.tabs[index].whoCan = who
    return [.debounce(tab: index, token: who.token, milliseconds: searchDebounceMilliseconds)]
  }

  static func clearWhoCan(_ state: inout AppState, _ index: Int) {
    state.tabs[index].whoCan = nil
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
  }

  /// Takes the typed text as the query: a pattern is answered once every role is loaded;
  /// a malformed one says why.
  static func applyWhoCan(_ state: inout AppState, _ index: Int) -> [Command] {
    guard var who = state.tabs[index].whoCan else { return [] }
    who.query = who.text
    who.answer = nil
    who.error = nil
    if !who.query.isEmpty {
      do {
        _ = try Glob(query: who.query)
      } catch {
        who.error = error.description
      }
    }
    state.tabs[index].whoCan = who
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return answerWhoCan(&state, index)
  }

  /// Answers the pending query over every role of the listing, loading the rest first.
  static func answerWhoCan(_ state: inout AppState, _ index: Int) -> [Command] {
    let tab = state.tabs[index]
    guard tab.whoCanWaits, var who = tab.whoCan, let listing = tab.listing,
      let query = try? Glob(query: who.query)
    else { return ensureLoading(&state, index) }
    guard listing.exhausted, listing.error == nil else { return ensureLoading(&state, index) }
    let candidates = tab.rows ?? Array(listing.records.indices)
    if who.index == nil || who.indexGeneration != listing.generation
      || who.indexCount != candidates.count
    {
      var policies: [RolePolicy] = []
      who.positions = [:]
      for position in candidates {
        guard let policy = RolePolicy(record: listing.records[position]) else { continue }
        policies.append(policy)
        who.positions[policy.id] = position
      }
      who.index = PolicyIndex(policies)
      who.indexGeneration = listing.generation
      who.indexCount = candidates.count
    }
    var policyIndex = who.index ?? PolicyIndex([])
    who.index = nil  // so the index is not copied while it learns
    let result = RoleAudit.grants(query, in: &policyIndex)
    who.index = policyIndex
    func row(_ grant: RoleAudit.RoleGrant) -> WhoCan.Row? {
      who.positions[grant.role.id].map {
        WhoCan.Row(record: $0, coverage: grant.coverage, allow: grant.allow, deny: grant.deny)
      }
    }
    who.answer = WhoCan.Answer(
      query: who.query, generation: listing.generation,
      rows: result.granted.compactMap(row) + result.overridden.compactMap(row),
      summary: result.summary)
    state.tabs[index].whoCan = who
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return []
  }

  // MARK: - Searching the detail pane

  private static func detailSearchKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else {
      state.focus = .list
      return []
    }
    switch key {
    case .enter:
      state.focus = .detail
    case .escape:
      state.focus = .detail
      state.tabs[index].detailSearch = ""
    case .backspace, .ctrl("h"):
      if !state.tabs[index].detailSearch.isEmpty {
        state.tabs[index].detailSearch.removeLast()
        findInDetail(&state, forward: true, from: 0)
      }
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      state.tabs[index].detailSearch.append(character)
      findInDetail(&state, forward: true, from: 0)
    default:
      break
    }
    return []
  }

  /// The detail rows that hold the search text (ASCII case ignored).
  static func detailMatches(_ state: AppState) -> [Int] {
    guard let tab = state.activeTab, let record = tab.selected, !tab.detailSearch.isEmpty
    else { return [] }
    let needle = tab.detailSearch.lowercased()
    let rows = DetailLayout.rows(for: record, in: tab, width: Layout(state).detail.width - 1)
    return rows.indices.filter { rows[$0].map(\.text).joined().lowercased().contains(needle) }
  }

  /// Scrolls the detail pane so that the next (or previous) match is the top row, counting
  /// from the current top plus `offset`, wrapping around.
  static func findInDetail(_ state: inout AppState, forward: Bool, from offset: Int) {
    let index = state.active
    let matches = detailMatches(state)
    guard state.tabs.indices.contains(index), !matches.isEmpty else { return }
    let start = state.tabs[index].detailScroll + offset
    let target =
      forward
      ? (matches.first { $0 >= start } ?? matches[0])
      : (matches.last { $0 <= start } ?? matches[matches.count - 1])
    let layout = Layout(state)
    let total =
      state.tabs[index].selected.map {
        DetailLayout.rows(for: $0, in: state.tabs[index], width: layout.detail.width - 1).count
      } ?? 0
    state.tabs[index].detailScroll = max(0, min(target, total - layout.detailRows))
  }
}

extension App {
  // MARK: - Field filter (`w`)

  private static func whereKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index) else {
      state.focus = .list
      return []
    }
    switch key {
    case .enter:
      let text = state.tabs[index].whereText
      if text.allSatisfy({ $0 == " " }) {
        state.focus = .list
        return setFieldFilter(&state, index, nil)
      }
      do {
        let filter = try FieldFilter(parsing: text)
        state.focus = .list
        return setFieldFilter(&state, index, filter)
      } catch {
        state.tabs[index].whereError = error.description
        return []
      }
    case .escape:
      state.focus = .list
      state.tabs[index].whereText = ""
      return setFieldFilter(&state, index, nil)
    case .backspace, .ctrl("h"):
      if !state.tabs[index].whereText.isEmpty { state.tabs[index].whereText.removeLast() }
      state.tabs[index].whereError = nil
    case .ctrl("u"):
      state.tabs[index].whereText = ""
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      state.tabs[index].whereText.append(character)
      state.tabs[index].whereError = nil
    default:
      break
    }
    return []
  }

  /// Filters the tab's records by `filter` (nil: no field filter); pages keep loading in the
  /// background to find more, as the local search does.
  static func setFieldFilter(_ state: inout AppState, _ index: Int, _ filter: FieldFilter?)
    -> [Command]
  {
    state.tabs[index].fieldFilter = filter
    state.tabs[index].whereError = nil
    if filter == nil { state.tabs[index].whereText = "" }
    refilter(&state.tabs[index], refiningFrom: nil)
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return ensureLoading(&state, index)
  }
}
