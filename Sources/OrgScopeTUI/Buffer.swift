import OrgScopeCore

/// A terminal colour: the terminal's own (`default`), a palette index (0–255) or RGB, which
/// the terminal backend maps to the nearest palette entry it can show.
public enum Color: Sendable, Hashable {
  case `default`
  case index(UInt8)
  case rgb(UInt8, UInt8, UInt8)
}

/// How a cell looks: colours and attributes.
public struct Style: Sendable, Hashable {
  public var fg: Color
  public var bg: Color
  public var bold: Bool
  public var reverse: Bool
  public var underline: Bool
  public var dim: Bool

  public init(
    fg: Color = .default, bg: Color = .default, bold: Bool = false, reverse: Bool = false,
    underline: Bool = false, dim: Bool = false
  ) {
    self.fg = fg
    self.bg = bg
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }

  public static let plain = Style()
}

/// One terminal cell. A wide grapheme sits in its first cell; the cell after it holds an
/// empty `text` so the grid stays aligned with what the terminal shows.
public struct Cell: Sendable, Hashable {
  public var text: String
  public var style: Style
  public init(_ text: String = " ", style: Style = .plain) {
    self.text = text
    self.style = style
  }
  /// The right half of a wide grapheme.
  public var isContinuation: Bool { text.isEmpty }
}

/// A frame: a grid of cells that views draw into and the terminal backend diffs and shows.
/// Tests compare `lines` with golden text files.
public struct Buffer: Sendable, Hashable {
  public let width: Int
  public let height: Int
  public private(set) var cells: [Cell]

  public init(width: Int, height: Int, style: Style = .plain) {
    self.width = max(0, width)
    self.height = max(0, height)
    self.cells = Array(repeating: Cell(" ", style: style), count: self.width * self.height)
  }

  public subscript(x: Int, y: Int) -> Cell {
    cells[y * width + x]
  }

  /// Fills a rectangle (clipped to the buffer) with blanks of `style`.
  public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: Style) {
    let x0 = max(0, x)
    let y0 = max(0, y)
    let x1 = min(width, x + w)
    let y1 = min(height, y + h)
    guard x0 < x1, y0 < y1 else { return }
    for row in y0..<y1 {
      // A wide grapheme cut in half by the rectangle's edge leaves a blank outside it.
      if cells[row * width + x0].isContinuation, x0 > 0 { cells[row * width + x0 - 1].text = " " }
      if x1 < width, cells[row * width + x1].isContinuation { cells[row * width + x1].text = " " }
      for column in x0..<x1 { cells[row * width + column] = Cell(" ", style: style) }
    }
  }

  /// Draws already sanitized `text` from (x, y), never past `x + maxWidth` nor the buffer
  /// edge; a wide grapheme that does not fit is replaced by a space. Returns the cells used.
  @discardableResult
  public mutating func put(
    _ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style
  ) -> Int {
    guard y >= 0, y < height, x < width else { return 0 }
    let limit = min(width, x + (maxWidth ?? width))
    var column = x
    for character in text {
      let cells = DisplayWidth.of(character: character)
      if cells == 0 { continue }
      if column + cells > limit {
        if column < limit { setCell(column, y, Cell(" ", style: style)) }
        column += 1
        break
      }
      if column >= 0 {
        setCell(column, y, Cell(String(character), style: style))
        if cells == 2 { setCell(column + 1, y, Cell("", style: style)) }
      }
      column += cells
    }
    return min(column, limit) - x
  }

  private mutating func setCell(_ x: Int, _ y: Int, _ cell: Cell) {
    let index = y * width + x
    // Overwriting half of a wide grapheme leaves the other half as a blank.
    if cells[index].isContinuation, x > 0, !cell.isContinuation {
      cells[index - 1].text = " "
    }
    if !cells[index].isContinuation, x + 1 < width, cells[index + 1].isContinuation,
      !(DisplayWidth.of(cell.text) == 2)
    {
      cells[index + 1].text = " "
    }
    cells[index] = cell
  }

  /// The text of each row (continuation cells omitted), for tests and golden files.
  public var lines: [String] {
    (0..<height).map { row in
      var line = ""
      for column in 0..<width { line += cells[row * width + column].text }
      return line
    }
  }
}
