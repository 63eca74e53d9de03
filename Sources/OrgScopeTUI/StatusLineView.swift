import OrgScopeCore

/// The status line: the message, or the keys that apply.
extension Canvas {
  mutating func drawStatus() {
    let y = layout.statusRow
    guard y > 0 else { return }
    fillRow(y, .status)
    let tab = state.activeTab
    var left: [(String, ThemeSlot)] = []
    // A prompt: its label, then its text field with the cursor where it is.
    var prompt: (label: String, field: TextField)?
    var hints = "? help  / search  f filters  q quit"
    // Where the cursor is: with a "who can" answer, said whatever the answer's length (the
    // answer is cut to leave it room).
    var position: String?
    switch state.focus {
    case .search:
      prompt = ("/", tab?.searchField ?? TextField())
      hints = "Enter keep  Esc clear"
      if let progress = tab.flatMap(searchProgress) { left.append(("  " + progress, .statusInfo)) }
    case .whoCan:
      let who = tab?.whoCan
      prompt = ("who can ", who?.field ?? TextField())
      hints = "Enter keep  Esc clear"
      if let progress = tab.flatMap(whoCanProgress) { left.append(("  " + progress.0, progress.1)) }
    case .wherePrompt:
      prompt = ("where ", tab?.whereField ?? TextField())
      hints = "Enter apply  Esc clear"
      if let error = tab?.whereError {
        left.append(("  " + error, .statusError))
      } else if (tab?.whereText ?? "").isEmpty {
        left.append(("  status=suspended settings.enforce_twofactor=false name~paris", .dim))
      }
    case .detailSearch:
      prompt = ("/", tab?.detailSearchField ?? TextField())
      hints = "Enter keep  Esc clear"
      let matches = App.detailMatches(state).count
      if !(tab?.detailSearch ?? "").isEmpty {
        left.append(("  " + matches.counting("matching line"), .statusInfo))
      }
    case .exportPrompt:
      let rows = tab?.rowCount ?? 0
      if let listing = tab?.listing, !listing.exhausted, listing.error == nil {
        let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
        left = [
          (
            "export \(rows.formatted) loaded rows: (j)son (c)sv · all rows\(total): (J)SON (C)SV ",
            .statusWarn
          )
        ]
      } else {
        left = [("export \(rows.counting("row")) as (j)son or (c)sv? ", .statusWarn)]
      }
      hints = "Esc cancel"
    case .command:
      prompt = (":", state.commandField)
      hints = "Enter go  Tab complete  Esc close"
      if let note = state.commandNote {
        left.append(("  " + note.text, note.level == .error ? .statusError : .statusWarn))
      }
    case .raw:
      left = [("raw JSON of \(tab?.selected?.id ?? "")", .statusInfo)]
      hints = "j/k scroll  Y copy  Esc close"
    case .detail:
      hints = "j/k scroll  / find  n/N next  Esc back"
      left = statusMessage(tab)
    case .help:
      hints = "PgDn/PgUp scroll, any other key closes"
    case .filters:
      hints = "Enter apply  Esc cancel"
    case .list:
      left = statusMessage(tab)
      // Where the cursor is, before the hints (the list header shows it too when it fits).
      if let at = tab.flatMap(positionText) {
        hints = at + "  ? help  q quit"
        if tab?.whoCan?.query.isEmpty == false { position = at }
      }
    }
    var x = 0
    if let prompt {
      x += text(prompt.label, x: x, y: y, width: layout.width - x, .search)
      x += drawField(prompt.field, x: x, y: y, width: layout.width - x, .search)
    }
    let kept = position.map { DisplayWidth.of($0) + 2 } ?? 0
    let end = kept > 0 && kept * 3 < layout.width ? layout.width - kept : layout.width
    for (piece, slot) in left where x < end {
      x += text(piece, x: x, y: y, width: end - x, slot)
    }
    let hintWidth = DisplayWidth.of(hints)
    if x + hintWidth + 2 <= layout.width {
      text(hints, x: layout.width - hintWidth - 1, y: y, width: hintWidth, .dim)
    } else if let position, x + kept <= layout.width {
      text(position, x: layout.width - kept + 1, y: y, width: kept - 1, .dim)
    }
  }

  /// A text field with its cursor: a block on the character under it, or the text cursor
  /// glyph after the text; scrolled so that the cursor is always shown.
  @discardableResult
  mutating func drawField(_ field: TextField, x: Int, y: Int, width: Int, _ slot: ThemeSlot)
    -> Int
  {
    guard width > 0 else { return 0 }
    let shown = field.visible(width: width)
    var used = text(shown.before, x: x, y: y, width: width, slot)
    guard used < width else { return used }
    guard let under = shown.under else {
      return used + text(glyphs.textCursor, x: x + used, y: y, width: width - used, slot)
    }
    var block = theme[slot]
    block.reverse.toggle()
    used += textStyled(String(under), x: x + used, y: y, width: width - used, block)
    return used + text(shown.after, x: x + used, y: y, width: width - used, slot)
  }

  /// The search in words: the match mode, where it runs, and honest counts; never
  /// "0 matches" while the server is still answering.
  func searchProgress(_ tab: SourceTab) -> String? {
    guard let listing = tab.listing, !tab.query.search.isEmpty || !tab.searchText.isEmpty else {
      return nil
    }
    let mode = tab.query.match.rawValue
    let searching = "searching" + glyphs.ellipsis
    if tab.searchText != tab.query.search { return "\(searching) · \(mode)" }
    if tab.filtersLocally {
      let scope = "\(mode) · local over \(listing.records.count.formatted) loaded"
      let matches = tab.rowCount.counting("match", "matches")
      if !listing.exhausted && listing.error == nil {
        let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
        return "\(matches) so far · \(scope)\(total)"
      }
      return "\(matches) · \(scope)"
    }
    let scope = "\(mode) · server"
    if listing.records.isEmpty && !listing.exhausted && listing.error == nil {
      return "\(searching) · \(scope)"
    }
    let loaded = listing.records.count.formatted
    if listing.exhausted {
      return "\(tab.rowCount.counting("match", "matches")) · \(scope)"
    }
    if let total = listing.total {
      return "\(loaded) loaded of \(total.formatted) matches · \(scope)"
    }
    return "\(glyphs.atLeast)\(loaded) matches, more on the server · \(scope)"
  }

  /// The "who can" state in words: why the text is not a pattern, loading, or the summary.
  func whoCanProgress(_ tab: SourceTab) -> (String, ThemeSlot)? {
    guard let who = tab.whoCan else { return nil }
    if who.text != who.query { return nil }
    if let error = who.error { return (error, .statusError) }
    if who.query.isEmpty { return ("type a permission or pattern (* = anything)", .dim) }
    if let audit = tab.audit, audit.query == who.query {
      // The hint first: it is what the admin needs to read at 80 columns.
      if let hint = audit.hint { return (hint + " · " + audit.summary, .statusWarn) }
      return (audit.summary, .statusInfo)
    }
    guard let listing = tab.listing else { return nil }
    if let error = listing.error { return (error, .statusError) }
    // By person: the users and their assignments first.
    let byPerson = App.isPeopleTab(tab)
    if byPerson, listing.exhausted, let progress = state.people.progress {
      return (progress.text, progress.slot)
    }
    let noun = byPerson ? "user" : "role"
    if who.computing != nil, listing.exhausted {
      let rows = tab.rows?.count ?? listing.records.count
      return ("answering over \(rows.counting(noun))" + glyphs.ellipsis, .statusInfo)
    }
    let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
    return (
      "loading every \(noun) first: \(listing.records.count.formatted)\(total)" + glyphs.ellipsis,
      .statusInfo
    )
  }

  func statusMessage(_ tab: SourceTab?) -> [(String, ThemeSlot)] {
    if let error = tab?.listing?.error {
      let hint = "  r to retry"
      let room = max(1, layout.width - DisplayWidth.of(hint) - 2)
      let shown = DisplayWidth.truncate(pictured(error), to: room, ellipsis: glyphs.ellipsis)
      return [(" " + shown + " ", .statusError), (hint, .statusWarn)]
    }
    // Loading on its own (`G`, export all, a reload deep in the list): the progress, and
    // how to stop it, over any message.
    if let tab, tab.loadsOnItsOwn, let listing = tab.listing {
      let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
      let what: String
      switch tab.loadingToEnd {
      case .last?: what = "loading"
      case .export?: what = "loading for the export:"
      case nil: what = "reloading"
      }
      return [
        (
          "\(what) \(listing.records.count.formatted)\(total)\(glyphs.ellipsis) any key stops",
          .statusInfo
        )
      ]
    }
    if let status = state.status {
      let slot: ThemeSlot =
        switch status.level {
        case .info: .statusInfo
        case .warn: .statusWarn
        case .error: .statusError
        }
      return [(status.text, slot)]
    }
    guard let tab else { return [] }
    var parts: [(String, ThemeSlot)] = []
    if let who = tab.whoCan, !who.query.isEmpty, let progress = whoCanProgress(tab) {
      // The query too when the whole line fits; the summary always.
      let lead = "who can \(who.query): "
      if DisplayWidth.of(lead) + DisplayWidth.of(progress.0) < layout.width {
        parts.append((lead, .search))
      }
      parts.append(progress)
    } else if let filter = tab.fieldFilter, tab.query.search.isEmpty, let listing = tab.listing {
      let terms = filter.terms.map {
        $0.path.joined(separator: ".") + $0.operation.rawValue + $0.value
      }
      parts.append(("where \(terms.joined(separator: " ")): ", .search))
      let matches = tab.rowCount.counting("match", "matches")
      let scope = "local over \(listing.records.count.formatted) loaded"
      if let missing = tab.whereMissing {
        parts.append(("\(matches): \(missing.description)", .statusWarn))
        return parts
      }
      parts.append(
        (
          listing.exhausted || listing.error != nil
            ? "\(matches) · \(scope)" : "\(matches) so far · \(scope)\(glyphs.ellipsis)",
          .statusInfo
        ))
    } else if !tab.query.search.isEmpty, let progress = searchProgress(tab) {
      parts.append(("/\(tab.query.search)  ", .search))
      parts.append((progress, .statusInfo))
    } else if App.isPeopleTab(tab), case .loading = state.people.phase,
      let progress = state.people.progress
    {
      parts.append((progress.text, progress.slot))
    } else if let listing = tab.listing, listing.inFlight != nil {
      parts.append(("loading page \(listing.pagesLoaded + 1)" + glyphs.ellipsis, .statusInfo))
    }
    if parts.isEmpty, let title = state.title {
      // Where the tab bar's `−5` will be: why it is not there yet.
      if let since = tab.since, since.covers(tab.source), since.removedCount == nil {
        let when =
          tab.query == Query() && tab.fieldFilter == nil ? "when loaded" : "without a search"
        parts.append(("removed: counted \(when) · ", .dim))
      }
      parts.append((title, .statusInfo))
    }
    return parts
  }
}
