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
