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

  /// Draws provider text (made safe here), cut with an ellipsis to `width` cells.
  @discardableResult
  mutating func text(_ raw: String, x: Int, y: Int, width: Int, _ slot: ThemeSlot) -> Int {
    textStyled(raw, x: x, y: y, width: width, theme[slot])
  }

  /// Provider text as it is drawn: control characters as visible pictures (`␛[2J`), and
  /// without UTF-8 (or with --ascii) every other non-ASCII character as an escape, so a
  /// name stays readable rather than "????". Layouts measure this, not the raw text.
  func pictured(_ raw: String) -> String {
    Sanitizer.pictured(raw, unicode: state.unicode)
  }

  @discardableResult
  mutating func textStyled(_ raw: String, x: Int, y: Int, width: Int, _ style: Style) -> Int {
    guard width > 0 else { return 0 }
    let cut = DisplayWidth.truncate(pictured(raw), to: width, ellipsis: glyphs.ellipsis)
    var pictureStyle = style
    pictureStyle.dim = true
    var used = 0
    for run in Self.pictureRuns(cut) {
      used += buffer.put(
        run.text, x: x + used, y: y, maxWidth: width - used,
        style: run.picture ? pictureStyle : style)
    }
    return used
  }

  /// `pictured` text in runs, the pictures of control characters (`␛`, `\x9b`, `\u{202E}`)
  /// apart, to be drawn dim: an escape in a name stands out from its letters. Told by their
  /// shape, so a name that spells `\x41` itself is dim there too: harmless, it reads alike.
  static func pictureRuns(_ text: String) -> [(text: String, picture: Bool)] {
    guard
      text.unicodeScalars.contains(where: { $0 == "\\" || (0x2400...0x2421).contains($0.value) })
    else { return [(text, false)] }
    let characters = Array(text)
    var runs: [(text: String, picture: Bool)] = []
    func add(_ piece: String, _ picture: Bool) {
      if let last = runs.last, last.picture == picture {
        runs[runs.count - 1].text += piece
      } else {
        runs.append((piece, picture))
      }
    }
    var index = 0
    while index < characters.count {
      let length = pictureLength(characters, at: index)
      if length > 0 {
        add(String(characters[index..<index + length]), true)
        index += length
      } else {
        add(String(characters[index]), false)
        index += 1
      }
    }
    return runs
  }

  /// Characters of the picture at `index` (0: none): a Control Picture, `\xHH` or `\u{H…}`.
  private static func pictureLength(_ characters: [Character], at index: Int) -> Int {
    let first = characters[index]
    if let scalar = first.unicodeScalars.first, first.unicodeScalars.count == 1,
      (0x2400...0x2421).contains(scalar.value)
    {
      return 1
    }
    guard first == "\\", index + 1 < characters.count else { return 0 }
    func isHex(_ offset: Int) -> Bool {
      index + offset < characters.count && characters[index + offset].isHexDigit
    }
    if characters[index + 1] == "x" { return isHex(2) && isHex(3) ? 4 : 0 }
    guard characters[index + 1] == "u", index + 2 < characters.count, characters[index + 2] == "{"
    else { return 0 }
    var end = index + 3
    while isHex(end - index) { end += 1 }
    guard end > index + 3, end < characters.count, characters[end] == "}" else { return 0 }
    return end - index + 1
  }

  mutating func fillRow(_ y: Int, x: Int = 0, width: Int? = nil, _ slot: ThemeSlot) {
    buffer.fill(x: x, y: y, width: width ?? layout.width, height: 1, style: theme[slot])
  }
}

extension Int {
  /// `1 match`, `2 matches`: the number and the noun that agrees with it.
  func counting(_ singular: String, _ plural: String? = nil) -> String {
    "\(formatted) \(self == 1 ? singular : plural ?? singular + "s")"
  }
}

extension String {
  var trimmingTrailingSpace: String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
