/// Terminal cell widths. `String.count` counts graphemes, but a terminal gives CJK and emoji
/// two cells and combining marks none; every layout decision goes through this one place.
public enum DisplayWidth {
  /// Cells that `text` occupies on a terminal. Control characters count as 0: they must be
  /// removed by `Sanitizer` before anything is drawn.
  public static func of(_ text: some StringProtocol) -> Int {
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var total = 0
    for character in text { total += of(character: character) }
    return total
  }

  /// Cells of one grapheme cluster: the width of its base scalar, widened to 2 for an emoji
  /// presentation selector (U+FE0F) after an emoji that is text by default, or a
  /// regional-indicator flag.
  public static func of(character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    var width = of(scalar: first)
    if width == 1 && scalars.count > 1 {
      for scalar in scalars.dropFirst() where scalar.value == 0xFE0F {
        if contains(emojiTextDefaultRanges, first.value) { width = 2 }
        break
      }
    }
    if width == 0 && scalars.count > 1 {
      // A cluster led by a zero-width scalar (a stray combining mark) takes the widest rest.
      width = scalars.dropFirst().map { of(scalar: $0) }.max() ?? 0
    }
    return width
  }

  /// Cells of one scalar, from the tables generated from the Unicode data files
  /// (`scripts/gen_display_width.py`, Unicode `unicodeVersion`).
  public static func of(scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value >= 0x20 && value < 0x7F { return 1 }
    if contains(zeroWidthRanges, value) { return 0 }
    return contains(wideRanges, value) ? 2 : 1
  }

  /// The text to send a terminal for a grapheme laid out in `of(character:)` cells. A
  /// terminal places each scalar by its own width, so a cluster whose scalars add up to
  /// more (an emoji sequence joined with U+200D: several wide glyphs) or less (a text
  /// emoji widened by U+FE0F) would push the cells after it; it is sent as its first
  /// scalar, padded to the width laid out. A flag (two regional indicators) goes whole.
  public static func terminalText(_ grapheme: String) -> String {
    guard grapheme.unicodeScalars.count > 1 else { return grapheme }
    return grapheme.map { character in
      let scalars = character.unicodeScalars
      guard scalars.count > 1, let first = scalars.first else { return String(character) }
      let cells = of(character: character)
      if scalars.reduce(0, { $0 + of(scalar: $1) }) == cells
        || scalars.allSatisfy({ (0x1F1E6...0x1F1FF).contains($0.value) })
      {
        return String(character)
      }
      let firstWidth = of(scalar: first)
      guard firstWidth > 0 else { return String(repeating: "?", count: max(1, cells)) }
      return String(first) + String(repeating: " ", count: max(0, cells - firstWidth))
    }.joined()
  }

  /// Whether `value` is in one of the sorted `[first, last, first, last, …]` ranges.
  private static func contains(_ ranges: [UInt32], _ value: UInt32) -> Bool {
    var low = 0
    var high = ranges.count / 2
    while low < high {
      let middle = (low + high) / 2
      if value < ranges[2 * middle] {
        high = middle
      } else if value > ranges[2 * middle + 1] {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }

  /// `text` cut to at most `width` cells. When it is cut, the end is `ellipsis` (which is
  /// counted in the width); a wide character that would straddle the edge is dropped.
  public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    if of(text) <= width { return text }
    let ellipsisWidth = of(ellipsis)
    guard ellipsisWidth <= width else { return fit(ellipsis, width) }
    return fit(text, width - ellipsisWidth) + ellipsis
  }

  /// `text` cut or padded with spaces to exactly `width` cells (with an ellipsis when cut).
  public static func pad(_ text: String, to width: Int, ellipsis: String = "…") -> String {
    let cut = truncate(text, to: width, ellipsis: ellipsis)
    let missing = width - of(cut)
    return missing > 0 ? cut + String(repeating: " ", count: missing) : cut
  }

  /// The ellipsis to use: `…` on a UTF-8 terminal, `~` otherwise.
  public static func ellipsis(utf8: Bool) -> String { utf8 ? "…" : "~" }

  private static func fit(_ text: String, _ width: Int) -> String {
    var result = ""
    var used = 0
    for character in text {
      let cells = of(character: character)
      if used + cells > width { break }
      result.append(character)
      used += cells
    }
    return result
  }
}
