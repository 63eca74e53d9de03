import OrgScopeCore

/// The list pane: header, rows, cursor, marks and the position.
extension Canvas {
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
        if let auditRow { cells.insert(auditRow.canCell(byPerson: audit?.people != nil), at: 0) }
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
              middleCut(pictured(value), to: column.width), x: area.x + column.x, y: y,
              width: column.width, slot)
          } else {
            text(value, x: area.x + column.x, y: y, width: column.width, slot)
          }
        }
        if let (mark, markSlot) = changeMark(tab, row: row, record: record) {
          text(mark, x: area.x, y: y, width: 1, slot == .list ? markSlot : slot)
        }
        // `m`: the role that `d` compares with.
        if tab.marked?.id == record.id {
          text("*", x: area.x, y: y, width: 1, slot == .list ? .search : slot)
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
      for piece in DetailLayout.wrap(pictured(line), width: max(1, area.width - 4))
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
      let who = audit.people == nil ? "no role grants" : "no user can do"
      lines = [("\(who) any of \(audit.query)", .dim)]
    } else if !tab.query.search.isEmpty {
      lines = [("no matches for \"\(tab.query.search)\"", .dim)]
    } else {
      lines = [("nothing here", .dim)]
    }
    var y = area.y + 1
    for (line, slot) in lines {
      for piece in DetailLayout.wrap(pictured(line), width: max(1, area.width - 4))
      where y < area.y + area.height {
        text(piece, x: area.x + 2, y: y, width: area.width - 4, slot)
        y += 1
      }
    }
  }
}
