import OrgScopeCore

/// The help overlay (`?`) and the raw JSON view (`r`).
extension Canvas {
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
}
