import OrgScopeCore

/// A bordered box over the panes, for the overlays.
extension Canvas {
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
}
