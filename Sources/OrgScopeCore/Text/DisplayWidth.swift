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
  /// presentation selector (U+FE0F) or a regional-indicator flag.
  public static func of(character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    var width = of(scalar: first)
    if width == 1 && scalars.count > 1 {
      for scalar in scalars.dropFirst() where scalar.value == 0xFE0F {
        if first.properties.isEmoji { width = 2 }
        break
      }
    }
    if width == 0 && scalars.count > 1 {
      // A cluster led by a zero-width scalar (a stray combining mark) takes the widest rest.
      width = scalars.dropFirst().map { of(scalar: $0) }.max() ?? 0
    }
    return width
  }

  /// Cells of one scalar, as wcwidth would say with current Unicode tables.
  public static func of(scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
    if value < 0x300 { return value == 0xAD ? 0 : 1 }
    if isZeroWidth(scalar) { return 0 }
    if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
  }

  private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if (0x1160...0x11FF).contains(value) { return true }  // Hangul medial vowels, final consonants
    if (0xFE00...0xFE0F).contains(value) || (0xE0100...0xE01EF).contains(value) { return true }
    if value == 0x200B || value == 0x2060 { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return true
    default: return false
    }
  }

  /// East Asian Wide and Fullwidth blocks (Unicode 15 EastAsianWidth W/F, coarsened).
  private static func isWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
      0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
      0x1B000...0x1B2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
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
