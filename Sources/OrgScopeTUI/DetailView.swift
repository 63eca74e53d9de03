import OrgScopeCore

/// The detail pane: the selected record's sections, wrapped and scrolled.
extension Canvas {
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
    let rows = DetailLayout.rows(
      for: record, in: tab, width: contentWidth, unicode: state.unicode, state: state)
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
}
