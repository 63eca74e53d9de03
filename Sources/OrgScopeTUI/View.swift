import OrgScopeCore

/// Pure rendering: the whole screen is drawn from the state into a cell buffer every frame.
/// Only the visible rows are looked at, so the cost does not grow with the records loaded.
public enum View {
  public static func render(_ state: AppState) -> Buffer {
    var canvas = Canvas(state: state)
    canvas.draw()
    return canvas.buffer
  }
}

/// Characters that depend on whether the terminal speaks UTF-8.
struct Glyphs {
  let vertical: String
  let horizontal: String
  let topLeft: String
  let topRight: String
  let bottomLeft: String
  let bottomRight: String
  let ellipsis: String
  let approx: String
  let dash: String
  let textCursor: String
  let filtered: String
  let atLeast: String
  let ascending: String
  let descending: String

  init(unicode: Bool) {
    if unicode {
      (vertical, horizontal, topLeft, topRight, bottomLeft, bottomRight) = (
        "│", "─", "┌", "┐", "└", "┘"
      )
      (ellipsis, approx, dash, textCursor) = ("…", "≈", "–", "▏")
      (filtered, atLeast, ascending, descending) = ("▾", "≥", "↑", "↓")
    } else {
      (vertical, horizontal, topLeft, topRight, bottomLeft, bottomRight) = (
        "|", "-", "+", "+", "+", "+"
      )
      (ellipsis, approx, dash, textCursor) = ("~", "~", "-", "_")
      (filtered, atLeast, ascending, descending) = ("v", ">=", "^", "v")
    }
  }
}

struct Canvas {
  let state: AppState
  let layout: Layout
  let theme: Theme
  let glyphs: Glyphs
  var buffer: Buffer

  init(state: AppState) {
    self.state = state
    layout = Layout(state)
    theme = state.theme
    glyphs = Glyphs(unicode: state.unicode)
    buffer = Buffer(width: layout.width, height: layout.height, style: state.theme[.list])
  }

  mutating func draw() {
    drawTabBar()
    if let tab = state.activeTab {
      drawList(tab)
      drawDetail(tab)
    } else {
      text("no sources configured", x: 1, y: 2, width: layout.width - 2, .statusWarn)
    }
    drawStatus()
    switch state.focus {
    case .help: drawHelp()
    case .filters: drawFilters()
    case .raw: drawRaw()
    default: break
    }
  }

  // MARK: - Helpers

  /// Draws provider text (sanitized here), cut with an ellipsis to `width` cells.
  @discardableResult
  mutating func text(_ raw: String, x: Int, y: Int, width: Int, _ slot: ThemeSlot) -> Int {
    textStyled(raw, x: x, y: y, width: width, theme[slot])
  }

  @discardableResult
  mutating func textStyled(_ raw: String, x: Int, y: Int, width: Int, _ style: Style) -> Int {
    guard width > 0 else { return 0 }
    var clean = Sanitizer.clean(raw)
    // Without UTF-8 (or with --ascii) a name stays readable as escapes, not as "????".
    if !state.unicode && !clean.utf8.allSatisfy({ $0 < 0x80 }) {
      var escaped = ""
      for scalar in clean.unicodeScalars {
        if scalar.value < 0x80 {
          escaped.unicodeScalars.append(scalar)
        } else {
          escaped += "\\u{" + String(scalar.value, radix: 16) + "}"
        }
      }
      clean = escaped
    }
    let cut = DisplayWidth.truncate(clean, to: width, ellipsis: glyphs.ellipsis)
    return buffer.put(cut, x: x, y: y, maxWidth: width, style: style)
  }

  mutating func fillRow(_ y: Int, x: Int = 0, width: Int? = nil, _ slot: ThemeSlot) {
    buffer.fill(x: x, y: y, width: width ?? layout.width, height: 1, style: theme[slot])
  }

  // MARK: - Tab bar

  static func shortTitle(_ source: SourceID) -> String { source.descriptor.shortTitle }

  /// The tab's count, honest about what is loaded: `4,210` (all loaded), `100 of ≈4,210`
  /// (the server said how many), `≥100` (more on the server, how many unknown); marked
  /// `▾` when a search, a filter or a "who can" query narrows it.
  func countText(_ tab: SourceTab, compact: Bool = false) -> String {
    if tab.provider == nil { return "not set" }
    guard let listing = tab.listing, tab.shown else { return "" }
    if listing.records.isEmpty {
      if listing.error != nil { return "!" }
      if !listing.exhausted { return glyphs.ellipsis }
    }
    let mark = Self.isFiltered(tab) ? glyphs.filtered : ""
    let shown = tab.rowCount.formatted
    if listing.exhausted { return mark + shown + removedText(tab) }
    if let total = listing.total {
      return "\(mark)\(shown)\(compact ? "/" : " of ")\(glyphs.approx)\(total.formatted)"
    }
    return "\(mark)\(glyphs.atLeast)\(shown)"
  }

  static func isFiltered(_ tab: SourceTab) -> Bool {
    let query = tab.query
    // A flag (Huawei's contact info) adds fields; it does not narrow the list.
    let narrowing = tab.source.descriptor.filters.contains {
      !$0.isFlag && !(query.filters[$0.name] ?? "").isEmpty
    }
    return !query.search.isEmpty || narrowing || tab.audit != nil || tab.fieldFilter != nil
  }

  /// Where the cursor is, for the list's header: `1,234 of 5,000`, `12 of ≥100`.
  func positionText(_ tab: SourceTab) -> String? {
    guard let listing = tab.listing, tab.rowCount > 0 else { return nil }
    let at = (tab.cursor + 1).formatted
    if listing.exhausted || tab.audit != nil { return "\(at) of \(tab.rowCount.formatted)" }
    if !tab.filtersLocally, let total = listing.total {
      return "\(at) of \(glyphs.approx)\(total.formatted)"
    }
    return "\(at) of \(glyphs.atLeast)\(tab.rowCount.formatted)"
  }

  /// Where each tab's label goes on the top row: also what a mouse click on it selects.
  func tabSpans() -> [(x: Int, width: Int, label: String)] {
    let counts = state.tabs.map { countText($0) }
    let compactCount = state.activeTab.map { countText($0, compact: true) } ?? ""
    let candidates: [[String]] = [
      state.tabs.enumerated().map { "\($0 + 1) \($1.source.title) \(counts[$0])" },
      state.tabs.enumerated().map { "\($0 + 1) \(Self.shortTitle($1.source)) \(counts[$0])" },
      state.tabs.enumerated().map { index, tab in
        index == state.active
          ? "\(index + 1) \(Self.shortTitle(tab.source)) \(counts[index])"
          : "\(index + 1) \(Self.shortTitle(tab.source))"
      },
      state.tabs.enumerated().map { index, tab in
        index == state.active
          ? "\(index + 1) \(Self.shortTitle(tab.source)) \(compactCount)"
          : "\(index + 1) \(Self.shortTitle(tab.source))"
      },
      state.tabs.enumerated().map { index, tab in
        index == state.active
          ? "\(index + 1) \(Self.shortTitle(tab.source)) \(compactCount)" : "\(index + 1)"
      },
    ]
    let labels =
      candidates.first { labels in
        labels.reduce(0) { $0 + DisplayWidth.of($1.trimmingTrailingSpace) + 2 } <= layout.width
      } ?? candidates[candidates.count - 1]
    let count = max(1, labels.count)
    let even = max(4, layout.width / count)
    let fits = labels.reduce(0) { $0 + DisplayWidth.of($1.trimmingTrailingSpace) + 2 }
    var spans: [(x: Int, width: Int, label: String)] = []
    var x = 0
    for raw in labels where x < layout.width {
      let label = " " + raw.trimmingTrailingSpace + " "
      let width = fits <= layout.width ? DisplayWidth.of(label) : even
      spans.append((x, min(width, layout.width - x), label))
      x += width
    }
    return spans
  }

  mutating func drawTabBar() {
    fillRow(0, .tab)
    for (index, span) in tabSpans().enumerated() {
      let slot: ThemeSlot = index == state.active ? .tabActive : .tab
      fillRow(0, x: span.x, width: span.width, slot)
      text(span.label, x: span.x, y: 0, width: span.width, slot)
    }
  }

  // MARK: - List

  /// Column x positions and widths for the list at `width` cells. The name (the flexible
  /// column) gets the room first: when it would be narrower than `minimumFlexible`, ids are
  /// shortened (down to 12 cells, in the middle when drawn); then other columns (dates) are
  /// dropped from the right, then ids, and status-like columns last: a status is never
  /// dropped while an id is shown.
  static func columnLayout(_ columns: [ColumnSpec], width: Int) -> [(
    index: Int, x: Int, width: Int
  )] {
    guard !columns.isEmpty else { return [] }
    var kept = Array(columns.indices)
    var widths = columns.map(\.width)
    let flexible = columns.firstIndex(where: \.flexible) ?? (columns.count - 1)
    let minimumFlexible = min(28, max(16, width / 3))
    let shortestID = 12
    func fixedWidth() -> Int {
      kept.filter { $0 != flexible }.reduce(0) { $0 + widths[$1] + 1 }
    }
    while kept.count > 1, width - 1 - fixedWidth() < minimumFlexible {
      let deficit = minimumFlexible - (width - 1 - fixedWidth())
      func last(_ keep: (ColumnSpec) -> Bool) -> Int? {
        kept.last { $0 != flexible && keep(columns[$0]) }
      }
      if let id = kept.first(where: { columns[$0].identifier && widths[$0] > shortestID }) {
        widths[id] = max(shortestID, widths[id] - deficit)
      } else if let drop = last({ !$0.identifier && !$0.status }) ?? last({ $0.identifier })
        ?? last({ _ in true })
      {
        kept.removeAll { $0 == drop }
      } else {
        break
      }
    }
    let flexibleWidth = max(1, width - 1 - fixedWidth())
    var result: [(index: Int, x: Int, width: Int)] = []
    var x = 1
    for index in kept {
      let w = index == flexible ? flexibleWidth : widths[index]
      result.append((index, x, min(w, max(0, width - x))))
      x += w + 1
    }
    return result
  }

  /// `IX1234…cdef`: an id cut in the middle, so both ends stay comparable.
  func middleCut(_ text: String, to width: Int) -> String {
    guard DisplayWidth.of(text) > width, width >= 5 else { return text }
    let keep = width - DisplayWidth.of(glyphs.ellipsis)
    let head = (keep + 1) / 2
    let tail = keep - head
    return String(text.prefix(head)) + glyphs.ellipsis + String(text.suffix(tail))
  }

  mutating func drawList(_ tab: SourceTab) {
    let area = layout.list
    var columns =
      tab.columns.isEmpty
      ? [ColumnSpec("Name", width: 20, flexible: true), ColumnSpec("ID", width: 24)] : tab.columns
    // A "who can" answer: each role's coverage of the query comes first.
    let audit = tab.audit
    if audit != nil { columns.insert(ColumnSpec("Can", width: 6), at: 0) }
    // Beside the detail pane, keep one blank cell before its border.
    let placed = Self.columnLayout(columns, width: area.width - (layout.sideBySide ? 1 : 0))
    fillRow(area.y, x: area.x, width: area.width, .header)
    // The sorted column says so: `Status ↑`.
    let order = audit == nil ? tab.sort?.order : nil
    let titles = columns.indices.map { index in
      guard let order, order.column == index else { return columns[index].title }
      return columns[index].title + " " + (order.descending ? glyphs.descending : glyphs.ascending)
    }
    for column in placed where tab.provider != nil {
      text(titles[column.index], x: area.x + column.x, y: area.y, width: column.width, .header)
    }
    if let position = positionText(tab) {
      // Right-aligned over the last column, when it leaves the first column readable.
      let label = " \(position) "
      let width = DisplayWidth.of(label)
      let right = area.x + area.width - (layout.sideBySide ? 1 : 0)
      // Only where no column title is: after the last one.
      let titlesEnd =
        placed.map { area.x + $0.x + DisplayWidth.of(titles[$0.index]) }.max() ?? area.x
      if right - width > titlesEnd {
        fillRow(area.y, x: right - width, width: width, .header)
        text(label, x: right - width, y: area.y, width: width, .header)
      }
    }
    let firstRow = area.y + 1
    let rows = layout.listRows
    if tab.provider == nil {
      drawMissing(tab, area: Rect(x: area.x, y: firstRow, width: area.width, height: rows))
      return
    }
    let count = tab.rowCount
    if count == 0 {
      drawEmpty(tab, area: Rect(x: area.x, y: firstRow, width: area.width, height: rows))
      return
    }
    let cursorSlot: ThemeSlot = state.focus == .detail ? .cursorInactive : .cursor
    for offset in 0..<rows {
      let row = tab.top + offset
      let y = firstRow + offset
      guard y < layout.statusRow else { break }
      if row < count, let record = tab.record(at: row) {
        let auditRow = tab.auditRow(at: row)
        let overridden = auditRow?.coverage == Coverage.none
        let slot: ThemeSlot = row == tab.cursor ? cursorSlot : (overridden ? .dim : .list)
        if slot != .list { fillRow(y, x: area.x, width: area.width, slot) }
        // Cells are derived for the visible rows only: records keep just what arrived.
        var cells = tab.provider?.cells(of: record) ?? []
        if let auditRow {
          cells.insert(overridden ? "denied" : auditRow.coverage.rawValue, at: 0)
        }
        for column in placed {
          let value =
            cells.indices.contains(column.index)
            ? cells[column.index] : (column.index == 0 ? record.name : record.id)
          if value.isEmpty && column.index == 0 {
            // A record without a name (SendGrid without email, Cloudflare null): say so.
            text(
              glyphs.dash, x: area.x + column.x, y: y, width: column.width,
              slot == .list ? .dim : slot)
          } else if columns[column.index].identifier {
            text(
              middleCut(Sanitizer.clean(value), to: column.width), x: area.x + column.x, y: y,
              width: column.width, slot)
          } else {
            text(value, x: area.x + column.x, y: y, width: column.width, slot)
          }
        }
        if let (mark, markSlot) = changeMark(tab, row: row, record: record) {
          text(mark, x: area.x, y: y, width: 1, slot == .list ? markSlot : slot)
        }
      } else if row == count, tab.cursor >= count - 1, tab.listing?.inFlight != nil {
        text("loading more" + glyphs.ellipsis, x: area.x + 1, y: y, width: area.width - 2, .dim)
      }
    }
  }

  mutating func drawMissing(_ tab: SourceTab, area: Rect) {
    if let hint = tab.missingHint, hint.hasPrefix(SourceSetup.notInSnapshot) {
      drawAbsent(tab.source, hint: hint, area: area)
      return
    }
    let lines = [
      "\(tab.source.title) is not configured.",
      "",
      "Set \(tab.missingHint ?? "its credentials")",
      "and start orgscope again (or try orgscope --demo).",
    ]
    var y = area.y + 1
    for line in lines {
      for piece in DetailLayout.wrap(Sanitizer.clean(line), width: max(1, area.width - 4))
      where y < area.y + area.height {
        text(
          piece, x: area.x + 2, y: y, width: area.width - 4,
          line.hasPrefix("Set") ? .statusWarn : .list)
        y += 1
      }
    }
  }

  mutating func drawEmpty(_ tab: SourceTab, area: Rect) {
    guard let listing = tab.listing else { return }
    var lines: [(String, ThemeSlot)] = []
    if let error = listing.error {
      lines = [(error, .statusError), ("press r to retry", .dim)]
    } else if !listing.exhausted {
      lines = [
        (
          tab.filtersLocally
            ? "searching \(listing.records.count.formatted) loaded rows" + glyphs.ellipsis
            : "loading \(tab.source.title)" + glyphs.ellipsis, .dim
        )
      ]
    } else if let audit = tab.audit {
      lines = [("no role grants any of \(audit.query)", .dim)]
    } else if !tab.query.search.isEmpty {
      lines = [("no matches for \"\(tab.query.search)\"", .dim)]
    } else {
      lines = [("nothing here", .dim)]
    }
    var y = area.y + 1
    for (line, slot) in lines {
      for piece in DetailLayout.wrap(Sanitizer.clean(line), width: max(1, area.width - 4))
      where y < area.y + area.height {
        text(piece, x: area.x + 2, y: y, width: area.width - 4, slot)
        y += 1
      }
    }
  }

  // MARK: - Detail

  mutating func drawDetail(_ tab: SourceTab) {
    let area = layout.detail
    guard area.height > 0, area.width > 0 else { return }
    let focused = state.focus == .detail
    let record = tab.selected
    let title = record.map { $0.name.isEmpty ? $0.id : $0.name } ?? "Detail"
    if layout.sideBySide {
      for y in layout.list.y..<min(layout.statusRow, layout.list.y + layout.list.height) {
        buffer.put(glyphs.vertical, x: area.x - 1, y: y, style: theme[.border])
      }
      fillRow(area.y, x: area.x, width: area.width, .header)
      text(" " + title, x: area.x, y: area.y, width: area.width, focused ? .title : .header)
    } else {
      let rule = String(repeating: glyphs.horizontal, count: area.width)
      buffer.put(rule, x: area.x, y: area.y, style: theme[.border])
      let label = " \(title) "
      text(
        label, x: area.x + 2, y: area.y, width: max(0, area.width - 4), focused ? .title : .border)
    }
    guard let record else { return }
    let contentWidth = area.width - 1
    let rows = DetailLayout.rows(for: record, in: tab, width: contentWidth)
    let visible = layout.detailRows
    let scroll = max(0, min(tab.detailScroll, rows.count - visible))
    let needle = tab.detailSearch.lowercased()
    for offset in 0..<visible {
      let index = scroll + offset
      let y = area.y + 1 + offset
      guard index < rows.count, y < layout.statusRow else { break }
      var x = area.x + 1
      let found =
        !needle.isEmpty && rows[index].map(\.text).joined().lowercased().contains(needle)
      for segment in rows[index] {
        x += text(
          segment.text, x: x, y: y, width: area.x + area.width - x, found ? .search : segment.slot)
      }
    }
    if rows.count > visible {
      let last = min(rows.count, scroll + visible)
      let more = "lines \(scroll + 1)\(glyphs.dash)\(last) of \(rows.count.formatted)"
      let moreWidth = DisplayWidth.of(more) + 2
      if area.width > moreWidth + 10 {
        text(
          " \(more) ", x: area.x + area.width - moreWidth, y: area.y, width: moreWidth,
          layout.sideBySide ? .header : .border)
      }
    }
  }

  // MARK: - Status line

  mutating func drawStatus() {
    let y = layout.statusRow
    guard y > 0 else { return }
    fillRow(y, .status)
    let tab = state.activeTab
    var left: [(String, ThemeSlot)] = []
    var hints = "? help  / search  f filters  q quit"
    switch state.focus {
    case .search:
      left = [("/", .search), ((tab?.searchText ?? "") + glyphs.textCursor, .search)]
      hints = "Enter keep  Esc clear"
      if let progress = tab.flatMap(searchProgress) { left.append(("  " + progress, .statusInfo)) }
    case .whoCan:
      let who = tab?.whoCan
      left = [("who can ", .search), ((who?.text ?? "") + glyphs.textCursor, .search)]
      hints = "Enter keep  Esc clear"
      if let progress = tab.flatMap(whoCanProgress) { left.append(("  " + progress.0, progress.1)) }
    case .wherePrompt:
      left = [("where ", .search), ((tab?.whereText ?? "") + glyphs.textCursor, .search)]
      hints = "Enter apply  Esc clear"
      if let error = tab?.whereError {
        left.append(("  " + error, .statusError))
      } else if (tab?.whereText ?? "").isEmpty {
        left.append(("  status=suspended settings.enforce_twofactor=false name~paris", .dim))
      }
    case .detailSearch:
      left = [("/", .search), ((tab?.detailSearch ?? "") + glyphs.textCursor, .search)]
      hints = "Enter keep  Esc clear"
      let matches = App.detailMatches(state).count
      if !(tab?.detailSearch ?? "").isEmpty {
        left.append(("  \(matches.formatted) matching lines", .statusInfo))
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
        left = [("export \(rows.formatted) rows as (j)son or (c)sv? ", .statusWarn)]
      }
      hints = "Esc cancel"
    case .raw:
      left = [("raw JSON of \(tab?.selected?.id ?? "")", .statusInfo)]
      hints = "j/k scroll  Y copy  Esc close"
    case .detail:
      hints = "j/k scroll  / find  n/N next  Esc back"
      left = statusMessage(tab)
    case .help:
      hints = "any key closes"
    case .filters:
      hints = "Enter apply  Esc cancel"
    case .list:
      left = statusMessage(tab)
      // Where the cursor is, before the hints (the list header shows it too when it fits).
      if let position = tab.flatMap(positionText) { hints = position + "  ? help  q quit" }
    }
    var x = 0
    for (piece, slot) in left where x < layout.width {
      x += text(piece, x: x, y: y, width: layout.width - x, slot)
    }
    let hintWidth = DisplayWidth.of(hints)
    if x + hintWidth + 2 <= layout.width {
      text(hints, x: layout.width - hintWidth - 1, y: y, width: hintWidth, .dim)
    }
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
      let matches = "\(tab.rowCount.formatted) matches"
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
    if listing.exhausted { return "\(tab.rowCount.formatted) matches · \(scope)" }
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
    if let audit = tab.audit, audit.query == who.query { return (audit.summary, .statusInfo) }
    guard let listing = tab.listing else { return nil }
    if let error = listing.error { return (error, .statusError) }
    let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
    return (
      "loading every role first: \(listing.records.count.formatted)\(total)" + glyphs.ellipsis,
      .statusInfo
    )
  }

  func statusMessage(_ tab: SourceTab?) -> [(String, ThemeSlot)] {
    if let error = tab?.listing?.error {
      let hint = "  r to retry"
      let room = max(1, layout.width - DisplayWidth.of(hint) - 2)
      let shown = DisplayWidth.truncate(Sanitizer.clean(error), to: room, ellipsis: glyphs.ellipsis)
      return [(" " + shown + " ", .statusError), (hint, .statusWarn)]
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
    if let next = tab.loadingToEnd, let listing = tab.listing {
      let total = listing.total.map { " of \(glyphs.approx)\($0.formatted)" } ?? ""
      let what = next == .last ? "loading" : "loading for the export:"
      return [
        (
          "\(what) \(listing.records.count.formatted)\(total)\(glyphs.ellipsis) any key stops",
          .statusInfo
        )
      ]
    }
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
      let matches = "\(tab.rowCount.formatted) matches"
      let scope = "local over \(listing.records.count.formatted) loaded"
      parts.append(
        (
          listing.exhausted || listing.error != nil
            ? "\(matches) · \(scope)" : "\(matches) so far · \(scope)\(glyphs.ellipsis)",
          .statusInfo
        ))
    } else if !tab.query.search.isEmpty, let progress = searchProgress(tab) {
      parts.append(("/\(tab.query.search)  ", .search))
      parts.append((progress, .statusInfo))
    } else if let listing = tab.listing, listing.inFlight != nil {
      parts.append(("loading page \(listing.pagesLoaded + 1)" + glyphs.ellipsis, .statusInfo))
    }
    if parts.isEmpty, let title = state.title { parts.append((title, .statusInfo)) }
    return parts
  }

  // MARK: - Overlays

  /// Draws a bordered box and returns its inner rectangle.
  mutating func box(width: Int, height: Int, title: String) -> Rect {
    let w = min(width, layout.width - 2)
    let h = min(height, layout.height - 2)
    let x = max(0, (layout.width - w) / 2)
    let y = max(0, (layout.height - h) / 2)
    let border = theme[.border]
    buffer.fill(x: x, y: y, width: w, height: h, style: theme[.dialog])
    guard w >= 2, h >= 2 else { return Rect(x: x, y: y, width: 0, height: 0) }
    let line = String(repeating: glyphs.horizontal, count: w - 2)
    buffer.put(glyphs.topLeft + line + glyphs.topRight, x: x, y: y, style: border)
    buffer.put(glyphs.bottomLeft + line + glyphs.bottomRight, x: x, y: y + h - 1, style: border)
    for row in (y + 1)..<(y + h - 1) {
      buffer.put(glyphs.vertical, x: x, y: row, style: border)
      buffer.put(glyphs.vertical, x: x + w - 1, y: row, style: border)
    }
    text(" \(title) ", x: x + 2, y: y, width: max(0, w - 4), .title)
    return Rect(x: x + 2, y: y + 1, width: max(0, w - 4), height: h - 2)
  }

  static let helpLines: [(String, String)] = [
    ("Tab  Shift-Tab", "next / previous source"),
    ("1-5", "jump to a source"),
    ("j k  Down Up", "move in the list"),
    ("PgDn PgUp", "page down / up (also Ctrl-F Ctrl-B)"),
    ("g  Home", "first row"),
    ("/", "search: each key refines"),
    ("  Enter  Esc", "keep the search / clear it"),
    ("  n N", "next / previous match"),
    ("p", "roles: who can (permission or *)"),
    ("Enter", "focus the detail pane"),
    ("  j k PgDn g G", "scroll it; Esc goes back"),
    ("  /  n N", "find in it / next / previous"),
    ("s  S", "sort by the next column / reverse"),
    ("f", "filters of this source"),
    ("w", "filter by fields (status=suspended)"),
    ("r  R", "reload this source / all"),
    ("G  End", "the very last record (loads all)"),
    ("v", "the record's raw JSON"),
    ("y  Y", "copy the id / the record as JSON"),
    ("e", "export loaded or all rows"),
    ("c", "--since: only what changed"),
    ("?", "this help"),
    ("q  Ctrl-C", "quit"),
    ("mouse", "click a tab or row; wheel scrolls"),
  ]

  mutating func drawHelp() {
    let lines = Self.helpLines
    let keyWidth = 16
    let inner = box(width: 56, height: lines.count + 2, title: "Keys")
    guard inner.height > 0 else { return }
    let scroll = max(0, min(state.helpScroll, lines.count - inner.height))
    for offset in 0..<inner.height where scroll + offset < lines.count {
      let (key, action) = lines[scroll + offset]
      let y = inner.y + offset
      text(key, x: inner.x, y: y, width: min(keyWidth, inner.width), .key)
      if inner.width > keyWidth {
        text(action, x: inner.x + keyWidth, y: y, width: inner.width - keyWidth, .dialog)
      }
    }
  }

  /// `v`: the selected record as the provider sent it, pretty-printed, scrollable.
  mutating func drawRaw() {
    guard let record = state.activeTab?.selected else { return }
    let lines = JSONWriter.pretty(.object(record.fields)).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    // The view covers the list and the detail pane whole, not just inside its border.
    buffer.fill(
      x: 0, y: 1, width: layout.width, height: max(0, layout.height - 2), style: theme[.list])
    let inner = box(
      width: layout.width - 2, height: layout.height - 2,
      title: "\(record.name.isEmpty ? record.id : record.name): raw JSON")
    guard inner.height > 0 else { return }
    let scroll = max(0, min(state.rawScroll, lines.count - inner.height))
    for offset in 0..<inner.height where scroll + offset < lines.count {
      text(lines[scroll + offset], x: inner.x, y: inner.y + offset, width: inner.width, .dialog)
    }
    if lines.count > inner.height {
      let label =
        " lines \(scroll + 1)\(glyphs.dash)\(min(lines.count, scroll + inner.height)) of \(lines.count.formatted) "
      let width = DisplayWidth.of(label)
      if width + 6 < inner.width {
        text(
          label, x: inner.x + inner.width - width, y: inner.y + inner.height, width: width, .border)
      }
    }
  }

  static func fieldLabel(_ field: FilterDialog.Field) -> String {
    switch field {
    case .match: return "Match mode"
    case .filter(_, let label, _): return label
    case .sort: return "Sort by name"
    }
  }

  func fieldValue(_ field: FilterDialog.Field, _ query: Query, selected: Bool) -> String {
    let caret = selected ? glyphs.textCursor : ""
    switch field {
    case .match: return "< \(query.match.rawValue) >"
    case .filter(let name, _, true): return query.isOn(name) ? "[x] on" : "[ ] off"
    case .filter(let name, _, false): return (query.filters[name] ?? "") + caret
    case .sort:
      switch query.sortByName {
      case .none: return "< server order >"
      case .asc: return "< A to Z >"
      case .desc: return "< Z to A >"
      }
    }
  }

  mutating func drawFilters() {
    guard let dialog = state.filterDialog, let tab = state.activeTab else { return }
    let inner = box(
      width: 62, height: dialog.fields.count + 5, title: "Filters: \(tab.source.title)")
    guard inner.height > 0 else { return }
    let labelWidth = min(24, inner.width / 2)
    for (index, field) in dialog.fields.enumerated() where index < inner.height {
      let y = inner.y + index
      let selected = index == dialog.selected
      let slot: ThemeSlot = selected ? .dialogSelected : .dialog
      if selected { fillRow(y, x: inner.x, width: inner.width, slot) }
      text(Self.fieldLabel(field), x: inner.x, y: y, width: labelWidth, slot)
      text(
        fieldValue(field, dialog.draft, selected: selected), x: inner.x + labelWidth, y: y,
        width: inner.width - labelWidth, slot)
    }
    let help = "Up/Down move  Left/Right change  type to edit  Enter apply  Esc cancel"
    if inner.height > dialog.fields.count + 1 {
      for (offset, piece) in DetailLayout.wrap(help, width: inner.width).enumerated()
      where dialog.fields.count + 1 + offset < inner.height {
        text(
          piece, x: inner.x, y: inner.y + dialog.fields.count + 1 + offset, width: inner.width, .dim
        )
      }
    }
  }
}

extension String {
  var trimmingTrailingSpace: String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
