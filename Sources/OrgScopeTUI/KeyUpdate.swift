import OrgScopeCore

/// Keys on the list and detail pane: what each one does to the state.
extension App {
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

  static func browseKey(_ state: inout AppState, _ key: Key) -> [Command] {
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
      guard state.tabs.indices.contains(tab), state.tabs[tab].isNarrowed else {
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
    case .character("m"):
      return toggleMark(&state)
    case .character("d"):
      return diffWithMarked(&state)
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
    state.status = StatusMessage(level: .info, text: "exporting \(records.count.formatted) rows…")
    return [
      .export(
        ExportRequest(
          format: format, source: tab.source, records: records, audit: tab.audit?.result))
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
    switch key {
    case .character("j"), .down: state.helpScroll += 1
    case .character("k"), .up: state.helpScroll = max(0, state.helpScroll - 1)
    case .pageDown, .character(" "): state.helpScroll += Layout(state).listRows
    case .pageUp: state.helpScroll = max(0, state.helpScroll - Layout(state).listRows)
    default: state.focus = .list
    }
    return []
  }

  static func searchKey(_ state: inout AppState, _ key: Key) -> [Command] {
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
  static func exportKey(_ state: inout AppState, _ key: Key) -> [Command] {
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
}
