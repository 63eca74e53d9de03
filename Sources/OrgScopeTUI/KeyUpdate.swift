import OrgScopeCore

/// Keys on the list and detail pane: what each one does to the state.
extension App {
  static func handleKey(_ state: inout AppState, _ key: Key) -> [Command] {
    if key == .ctrl("c") {
      state.quitting = true
      return [.quit]
    }
    // Loading every page for `G` or an export, or until a reload finds the selected record
    // again: any key stops it, and the count it reports is the last.
    if state.tabs.indices.contains(state.active), state.tabs[state.active].loadsOnItsOwn {
      stopLoading(&state, state.active)
      return []
    }
    if case .paste(let text) = key, !state.typesText {
      // Outside a prompt a burst is its keys, one by one (key repeat, or `/foo` typed fast:
      // `/` opens the prompt and the rest is typed into it at once).
      return pasteAsKeys(&state, text)
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
    case .command: return commandKey(&state, key)
    case .list, .detail: return browseKey(&state, key)
    }
  }

  /// Stops what `loadsOnItsOwn` loads: the page on its way is dropped when it comes, and
  /// no other is asked for until the list needs one (moving near its end).
  static func stopLoading(_ state: inout AppState, _ index: Int) {
    state.tabs[index].loadingToEnd = nil
    state.tabs[index].pendingSelection = nil
    if let current = state.tabs[index].current {
      state.tabs[index].listings[current].inFlight = nil
    }
    let loaded = state.tabs[index].listing?.records.count ?? 0
    state.status = StatusMessage(level: .warn, text: "stopped: \(loaded.counting("row")) loaded")
  }

  /// A burst outside a prompt: its characters one by one, until one opens a prompt, which
  /// takes the rest at once.
  static func pasteAsKeys(_ state: inout AppState, _ text: String) -> [Command] {
    var commands: [Command] = []
    var rest = Substring(text)
    while let first = rest.first, !state.quitting {
      if state.typesText { return commands + handleKey(&state, .paste(String(rest))) }
      rest = rest.dropFirst()
      commands += handleKey(&state, first.isNewline ? .enter : .character(first))
    }
    return commands
  }

  /// The list and the detail pane: the key's action comes from the key map.
  static func browseKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let tab = state.active
    let inDetail = state.focus == .detail
    guard
      let action = state.keyMap.action(
        for: key, in: inDetail ? .detail : .list, on: state.activeTab)
    else {
      if case .character(let character) = key {
        state.status = StatusMessage(
          level: .warn, text: "unknown key \(Sanitizer.clean(String(character))) — ? for help")
      } else {
        state.status = StatusMessage(level: .warn, text: "unknown key — ? for help")
      }
      return []
    }
    let page = inDetail ? Layout(state).detailRows : Layout(state).listRows
    switch action {
    case .quit:
      state.quitting = true
      return [.quit]
    case .nextTab: return showTab(&state, (state.active + 1) % max(1, state.tabs.count))
    case .previousTab:
      return showTab(&state, (state.active + state.tabs.count - 1) % max(1, state.tabs.count))
    case .jumpToTab:
      guard case .character(let digit) = key, let number = digit.wholeNumberValue,
        state.tabs.indices.contains(number - 1)
      else { return [] }
      return showTab(&state, number - 1)
    case .down: return inDetail ? scrollDetail(&state, 1) : move(&state, 1)
    case .up: return inDetail ? scrollDetail(&state, -1) : move(&state, -1)
    case .pageDown: return inDetail ? scrollDetail(&state, page) : move(&state, page)
    case .pageUp: return inDetail ? scrollDetail(&state, -page) : move(&state, -page)
    case .first:
      return inDetail ? scrollDetail(&state, Int.min / 2) : move(&state, Int.min / 2)
    case .last:
      return inDetail ? scrollDetail(&state, Int.max / 2) : goToEnd(&state, tab, then: .last)
    case .focusDetail:
      if state.tabs.indices.contains(tab), state.tabs[tab].selected != nil {
        state.focus = .detail
      }
      return []
    case .back:
      state.focus = .list
      return []
    case .clear:
      guard state.tabs.indices.contains(tab) else { return [] }
      // On the users tab, loading the assignments stops first.
      if isPeopleTab(state.tabs[tab]), case .loading = state.people.phase {
        if state.tabs[tab].whoCan != nil { clearWhoCan(&state, tab) }
        return stopPeople(&state)
      }
      if state.tabs[tab].whoCan != nil {
        clearWhoCan(&state, tab)
      } else if state.tabs[tab].fieldFilter != nil {
        return setFieldFilter(&state, tab, nil)
      } else if !state.tabs[tab].searchText.isEmpty {
        return setSearch(&state, tab, "", immediate: true)
      }
      return []
    case .search, .findInDetail:
      guard state.tabs.indices.contains(tab), state.tabs[tab].provider != nil else { return [] }
      state.focus = inDetail ? .detailSearch : .search
      return []
    case .nextMatch where inDetail:
      findInDetail(&state, forward: true, from: 1)
      return []
    case .previousMatch where inDetail:
      findInDetail(&state, forward: false, from: -1)
      return []
    case .nextMatch, .previousMatch:
      // Next / previous match: the list shows only matches, so the next row, wrapping.
      guard state.tabs.indices.contains(tab), state.tabs[tab].isNarrowed else {
        state.status = StatusMessage(
          level: .warn, text: "n and N move between the matches of a search: / first")
        return []
      }
      let count = state.tabs[tab].rowCount
      guard count > 0 else { return [] }
      let step = action == .nextMatch ? 1 : count - 1
      let target = (state.tabs[tab].cursor + step) % count
      return move(&state, target - state.tabs[tab].cursor)
    case .sort, .reverseSort:
      return cycleSort(&state, reverse: action == .reverseSort)
    case .whoCan:
      return openWhoCan(&state)
    case .mark:
      return toggleMark(&state)
    case .diff:
      return diffWithMarked(&state)
    case .changes:
      return toggleChanges(&state)
    case .fieldFilter:
      guard state.tabs.indices.contains(tab), state.tabs[tab].provider != nil else { return [] }
      state.tabs[tab].whereError = nil
      state.focus = .wherePrompt
      return []
    case .help:
      state.focus = .help
      state.helpScroll = 0
      return []
    case .command:
      return openCommandLine(&state)
    case .filters:
      openFilters(&state)
      return []
    case .reload:
      let commands = reload(&state, tab)
      if state.tabs.indices.contains(tab), state.tabs[tab].provider != nil {
        state.status = StatusMessage(
          level: .info, text: "reloading \(state.tabs[tab].source.title)")
      }
      return commands
    case .reloadAll:
      var commands: [Command] = []
      var count = 0
      for index in state.tabs.indices where state.tabs[index].provider != nil {
        commands += reload(&state, index)
        count += 1
      }
      state.status = StatusMessage(
        level: .info, text: "reloading all \(count.counting("source"))")
      return commands
    case .copyID:
      guard let record = state.activeTab?.selected else { return [] }
      // What lands on the clipboard may be pasted into a shell: no control characters.
      return [.copy(Sanitizer.clean(record.id))]
    case .copyJSON:
      // JSON escapes every control character: the record whole, safe to paste.
      guard let record = state.activeTab?.selected else { return [] }
      return [.copy(JSONWriter.compact(.object(record.fields)))]
    case .raw:
      guard state.activeTab?.selected != nil else { return [] }
      state.focus = .raw
      state.rawScroll = 0
      return []
    case .export:
      guard let active = state.activeTab, active.rowCount > 0 else {
        state.status = StatusMessage(level: .warn, text: "nothing to export")
        return []
      }
      state.focus = .exportPrompt
      return []
    case .edit, .accept, .cancel, .complete, .nextField, .previousField, .changeBack,
      .changeForward,
      .exportLoaded, .exportAll:
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

  static func finishToEnd(_ state: inout AppState, _ index: Int, _ next: ToEnd)
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

  static func exportRows(
    _ state: inout AppState, _ index: Int, _ format: ExportRequest.Format
  ) -> [Command] {
    let tab = state.tabs[index]
    let records = (0..<tab.rowCount).compactMap { tab.record(at: $0) }
    state.status = StatusMessage(level: .info, text: "exporting \(records.count.counting("row"))…")
    return [
      .export(
        ExportRequest(
          format: format, source: tab.source, records: records, audit: tab.audit?.result,
          people: tab.audit?.people))
    ]
  }

  static func rawKey(_ state: inout AppState, _ key: Key) -> [Command] {
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

  static func helpKey(_ state: inout AppState, _ key: Key) -> [Command] {
    // As the overlay's box is cut: the screen less a row above and below, less its border.
    let lines = Canvas.helpLines(state.keyMap).count
    let last = max(0, lines - max(1, min(lines, state.height - 4)))
    let page = max(1, min(lines, state.height - 4) - 1)
    switch state.keyMap.action(for: key, in: .help, on: state.activeTab) {
    case .down: state.helpScroll = min(last, state.helpScroll + 1)
    case .up: state.helpScroll = max(0, state.helpScroll - 1)
    case .pageDown: state.helpScroll = min(last, state.helpScroll + page)
    case .pageUp: state.helpScroll = max(0, state.helpScroll - page)
    default: state.focus = .list
    }
    return []
  }

  /// What a key does in a prompt: one of the key map's prompt keys (Enter, Esc, moving the
  /// list), or an edit of the text field.
  enum PromptKey {
    case action(KeyAction)
    case edited(TextField.Edit)
  }

  static func promptKey(
    _ state: AppState, _ field: inout TextField, _ key: Key, in place: KeyPlace = .prompt
  ) -> PromptKey {
    if let action = state.keyMap.action(for: key, in: place, on: state.activeTab) {
      return .action(action)
    }
    return .edited(field.handle(key))
  }

  static func searchKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let tab = state.active
    guard state.tabs.indices.contains(tab) else {
      state.focus = .list
      return []
    }
    var field = state.tabs[tab].searchField
    switch promptKey(state, &field, key) {
    case .action(.accept):
      state.focus = .list
      return []
    case .action(.cancel):
      state.focus = .list
      return setSearch(&state, tab, "", immediate: true)
    case .action(.down): return move(&state, 1)
    case .action(.up): return move(&state, -1)
    case .action(.pageDown): return move(&state, Layout(state).listRows)
    case .action(.pageUp): return move(&state, -Layout(state).listRows)
    case .action(.nextTab), .action(.previousTab):
      state.focus = .list
      return browseKey(&state, key)
    case .action: return []
    case .edited(.changed):
      state.tabs[tab].searchField = field
      return setSearch(&state, tab, field.text, immediate: false)
    case .edited(.moved):
      state.tabs[tab].searchField = field
      return []
    case .edited(.ignored): return []
    }
  }

  /// `j`/`c`: the loaded rows as JSON/CSV; `J`/`C`: every row (the rest is loaded first).
  /// Either way what the list shows: the search and the filters apply.
  static func exportKey(_ state: inout AppState, _ key: Key) -> [Command] {
    state.focus = .list
    let index = state.active
    guard state.tabs.indices.contains(index) else { return [] }
    switch state.keyMap.action(for: key, in: .export, on: state.activeTab) {
    case .exportLoaded(let format): return exportRows(&state, index, format)
    case .exportAll(let format): return goToEnd(&state, index, then: .export(format))
    default: return []
    }
  }
}
