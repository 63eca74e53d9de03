import Foundation
import OrgScopeCore

/// Semantic places on the screen that a theme colours. The raw value is the TOML table name.
public enum ThemeSlot: String, Sendable, Hashable, CaseIterable {
  case title
  case tab
  case tabActive = "tab_active"
  case header
  case list
  case cursor
  case cursorInactive = "cursor_inactive"
  case border
  case dim
  case detailKey = "detail_key"
  case detailValue = "detail_value"
  case heading
  case status
  case statusError = "status_error"
  case statusWarn = "status_warn"
  case statusInfo = "status_info"
  case policyAllow = "policy_allow"
  case policyDeny = "policy_deny"
  case search
  case dialog
  case dialogSelected = "dialog_selected"
  case key
}

/// A complete set of slot styles. Partial theme files merge over `Theme.fallback`.
public struct Theme: Sendable, Hashable {
  public var name: String
  public var styles: [ThemeSlot: Style]

  public init(name: String, styles: [ThemeSlot: Style]) {
    self.name = name
    self.styles = styles
  }

  public subscript(slot: ThemeSlot) -> Style {
    styles[slot] ?? .plain
  }

  /// Attributes only: what `NO_COLOR` asks for. A slot that told itself apart by its
  /// background (cursor, active tab) turns to reverse video so it stays visible.
  public func withoutColor() -> Theme {
    var copy = self
    for (slot, style) in styles {
      var plain = style
      if style.bg != .default { plain.reverse = true }
      plain.fg = .default
      plain.bg = .default
      copy.styles[slot] = plain
    }
    return copy
  }

  /// The names of the built-in themes, `default` first (what `--theme` completes to).
  public static var builtInNames: [String] {
    ["default"] + BuiltinThemes.sources.keys.filter { $0 != "default" }.sorted()
  }

  /// The built-in default theme, parsed from `BuiltinThemes.default`. Every slot is set.
  public static let fallback: Theme = {
    var theme = Theme(name: "default", styles: [:])
    if let source = BuiltinThemes.sources["default"],
      let parsed = try? ThemeParser.parse(source, origin: "built-in default", over: theme)
    {
      theme = parsed
    }
    for slot in ThemeSlot.allCases where theme.styles[slot] == nil { theme.styles[slot] = .plain }
    return theme
  }()

  /// Finds and parses theme `name`: a path to a `.toml` file, or `<name>.toml` in the first
  /// of `directories` that holds one, or a built-in theme. Merged over the default theme.
  public static func load(named name: String, directories: [String]) throws -> Theme {
    if name.hasSuffix(".toml") || name.contains("/") {
      return try parseFile(path: name, name: name)
    }
    for directory in directories {
      let path = (directory as NSString).appendingPathComponent("\(name).toml")
      if FileManager.default.fileExists(atPath: path) {
        return try parseFile(path: path, name: name)
      }
    }
    if let source = BuiltinThemes.sources[name] {
      var theme = try ThemeParser.parse(source, origin: "built-in \(name)", over: fallback)
      theme.name = name
      return theme
    }
    let known = BuiltinThemes.sources.keys.sorted().joined(separator: ", ")
    throw ThemeError(
      origin: name, line: nil, key: nil,
      message: "no theme named \"\(name)\" (built-in: \(known); or put \(name).toml in "
        + (directories.first ?? "the themes directory") + ")")
  }

  private static func parseFile(path: String, name: String) throws -> Theme {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ThemeError(origin: path, line: nil, key: nil, message: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ThemeError(origin: path, line: nil, key: nil, message: "not UTF-8 text")
    }
    var theme = try ThemeParser.parse(text, origin: path, over: fallback)
    theme.name = name
    return theme
  }
}

/// A theme file that cannot be used, with the file, line and key at fault.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
  public var origin: String
  public var line: Int?
  public var key: String?
  public var message: String

  public var description: String {
    var text = "theme \(origin)"
    if let line { text += ":\(line)" }
    if let key { text += ": key \(key)" }
    return text + ": \(message)"
  }
}

/// Reads theme files: `[slot]` tables (or dotted `slot.fg` keys) holding `fg`, `bg` and the
/// boolean attributes `bold`, `reverse`, `underline`, `dim`.
enum ThemeParser {
  static func parse(_ text: String, origin: String, over base: Theme) throws -> Theme {
    let document: TOMLReader.Table
    do {
      document = try TOMLReader.parse(text)
    } catch {
      throw ThemeError(
        origin: origin, line: error.line, key: error.key.map { $0.joined(separator: ".") },
        message: error.message)
    }
    var theme = base
    for entry in document {
      guard let slot = ThemeSlot(rawValue: entry.key) else {
        let known = ThemeSlot.allCases.map(\.rawValue).joined(separator: ", ")
        throw ThemeError(
          origin: origin, line: entry.line, key: entry.key,
          message: "unknown slot \"\(entry.key)\" (known: \(known))")
      }
      guard let properties = entry.value.table else {
        throw ThemeError(
          origin: origin, line: entry.line, key: entry.key,
          message: "expected a table [\(entry.key)] with fg, bg, bold...")
      }
      var style = theme.styles[slot] ?? .plain
      for property in properties {
        try apply(
          property.key, property.value, to: &style, origin: origin, line: property.line,
          key: "\(entry.key).\(property.key)")
      }
      theme.styles[slot] = style
    }
    return theme
  }

  private static func apply(
    _ property: String, _ value: TOMLReader.Value, to style: inout Style, origin: String, line: Int,
    key: String
  ) throws {
    func fail(_ message: String) -> ThemeError {
      ThemeError(origin: origin, line: line, key: key, message: message)
    }
    switch property {
    case "fg", "bg":
      let color: Color
      if let number = value.integer {
        guard (0...255).contains(number) else { throw fail("colour index must be 0–255") }
        color = .index(UInt8(number))
      } else if let text = value.string {
        guard let parsed = parseColor(text) else {
          throw fail(
            "unknown colour \"\(text)\" (use a name like red or bright_blue, 0–255, #rrggbb, "
              + "or default)")
        }
        color = parsed
      } else {
        throw fail("a colour must be a name, 0–255 or #rrggbb, not \(value.typeName)")
      }
      if property == "fg" { style.fg = color } else { style.bg = color }
    case "bold", "reverse", "underline", "dim":
      guard let flag = value.boolean else { throw fail("must be true or false") }
      switch property {
      case "bold": style.bold = flag
      case "reverse": style.reverse = flag
      case "underline": style.underline = flag
      default: style.dim = flag
      }
    default:
      throw fail(
        "unknown property \"\(property)\" (known: fg, bg, bold, reverse, underline, dim)")
    }
  }

  static let colorNames: [String: UInt8] = [
    "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6,
    "white": 7, "gray": 8, "grey": 8, "bright_black": 8, "bright_red": 9, "bright_green": 10,
    "bright_yellow": 11, "bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14,
    "bright_white": 15,
  ]

  /// A colour from a name, a palette number in a string, `#rrggbb` or `default`.
  static func parseColor(_ text: String) -> Color? {
    let lower = text.lowercased().replacingOccurrences(of: "-", with: "_")
    if lower == "default" || lower == "none" { return .default }
    if let index = colorNames[lower] { return .index(index) }
    if let number = Int(lower), (0...255).contains(number) { return .index(UInt8(number)) }
    if lower.hasPrefix("#"), lower.count == 7, let value = UInt32(lower.dropFirst(), radix: 16) {
      return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
    return nil
  }
}

extension Color {
  /// The nearest entry of the xterm 256-colour palette (6×6×6 cube or grey ramp).
  public static func nearestPaletteIndex(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
    let levels: [Int] = [0, 95, 135, 175, 215, 255]
    func nearestLevel(_ value: UInt8) -> Int {
      var best = 0
      for (index, level) in levels.enumerated()
      where abs(level - Int(value)) < abs(levels[best] - Int(value)) {
        best = index
      }
      return best
    }
    let (r, g, b) = (nearestLevel(red), nearestLevel(green), nearestLevel(blue))
    let cube = 16 + 36 * r + 6 * g + b
    func distance(_ x: Int, _ y: Int, _ z: Int) -> Int {
      let dr = x - Int(red)
      let dg = y - Int(green)
      let db = z - Int(blue)
      return dr * dr + dg * dg + db * db
    }
    let cubeDistance = distance(levels[r], levels[g], levels[b])
    let average = (Int(red) + Int(green) + Int(blue)) / 3
    let greyStep = max(0, min(23, (average - 8 + 5) / 10))
    let greyLevel = 8 + greyStep * 10
    let greyDistance = distance(greyLevel, greyLevel, greyLevel)
    return UInt8(greyDistance < cubeDistance ? 232 + greyStep : cube)
  }
}
