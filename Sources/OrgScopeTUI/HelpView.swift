import OrgScopeCore

/// The help overlay (`?`), drawn from the key map, and the raw JSON view (`v`).
extension Canvas {
  static let helpKeyWidth = 16

  /// A line of the help: a section title, or keys and what they do.
  enum HelpLine: Equatable {
    case title(String)
    case keys(String, String)
  }

  /// The help's lines, from the key map. Keys too long for their column get a line of their
  /// own, with what they do below.
  static func helpLines(_ keyMap: KeyMap) -> [HelpLine] {
    var lines: [HelpLine] = []
    for section in keyMap.helpSections {
      if !section.title.isEmpty { lines.append(.title(section.title)) }
      for line in section.lines {
        if DisplayWidth.of(line.keys) >= helpKeyWidth - 1 {
          lines.append(.keys(line.keys, ""))
          lines.append(.keys("", line.help))
        } else {
          lines.append(.keys(line.keys, line.help))
        }
      }
    }
    return lines
  }

  mutating func drawHelp() {
    let lines = Self.helpLines(state.keyMap)
    let keyWidth = Self.helpKeyWidth
    let inner = box(width: 58, height: lines.count + 2, title: "Keys")
    guard inner.height > 0 else { return }
    let scroll = max(0, min(state.helpScroll, lines.count - inner.height))
    for offset in 0..<inner.height where scroll + offset < lines.count {
      let y = inner.y + offset
      switch lines[scroll + offset] {
      case .title(let title):
        text(title, x: inner.x, y: y, width: inner.width, .title)
      case .keys(let key, let action):
        text(key, x: inner.x, y: y, width: inner.width, .key)
        if inner.width > keyWidth, !action.isEmpty {
          text(action, x: inner.x + keyWidth, y: y, width: inner.width - keyWidth, .dialog)
        }
      }
    }
    // Cut: the border says so, and which key shows the rest.
    let below = scroll + inner.height < lines.count
    if scroll > 0 || below {
      let label =
        below ? " \(glyphs.filtered) more: PgDn " : " \(glyphs.ascending) PgUp to the top "
      let width = DisplayWidth.of(label)
      if width + 4 < inner.width {
        text(
          label, x: inner.x + inner.width - width, y: inner.y + inner.height, width: width,
          .border)
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
