import CNCursesw
import CrashGuard
import CursesShim
import Foundation
import OrgScopeCore

/// What the terminal reports: a key, or a new size.
enum TerminalEvent {
  case key(Key)
  case mouse(MouseEvent)
  case resize(width: Int, height: Int)
  /// Bracketed paste: what arrives between the start and the end was pasted.
  case pasteStart
  case pasteEnd
}

/// The ncurses backend, and the only code that calls ncurses. It shows a `Buffer` by
/// writing only the cells that differ from the previous frame. Not thread-safe: it lives
/// on the UI thread from `init` to `close`.
final class Terminal {
  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private let output: UnsafeMutablePointer<FILE>
  private let input: UnsafeMutablePointer<FILE>
  private var previous: Buffer?
  private var pairs: [Style: (attrs: UInt32, pair: Int32)] = [:]
  private var nextPair: Int32 = 1
  private let colorCount: Int
  private let colorEnabled: Bool
  private var closed = false

  /// Starts curses on the process's stdin/stdout. Throws when the terminal cannot be used
  /// (a bad `TERM`, not a tty) instead of letting ncurses exit the process.
  init(useColor: Bool, mouse: Bool = true) throws {
    guard isatty(0) == 1, isatty(1) == 1 else {
      throw OrgScopeError.usage("the TUI needs a terminal on stdin and stdout")
    }
    guard let output = fdopen(dup(1), "w"), let input = fdopen(dup(0), "r") else {
      throw OrgScopeError.usage("cannot open the terminal")
    }
    // Before curses changes the modes: a crash puts these back (and leaves the alternate
    // screen, shows the cursor, turns mouse reports off) before the process dies.
    _ = orgscope_crash_guard_terminal(fileno(output))
    guard let screen = newterm(nil, output, input) else {
      orgscope_crash_guard_terminal_off()
      fclose(output)
      fclose(input)
      let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
      throw OrgScopeError.usage("cannot use terminal type \"\(term)\" (check TERM)")
    }
    set_term(screen)
    guard let window = newwin(0, 0, 0, 0) else {
      orgscope_crash_guard_terminal_off()
      endwin()
      delscreen(screen)
      throw OrgScopeError.usage("cannot create a window")
    }
    self.screen = screen
    self.window = window
    self.output = output
    self.input = input
    raw()
    noecho()
    nonl()
    keypad(window, true)
    leaveok(window, true)
    set_escdelay(25)
    curs_set(0)
    if mouse { _ = orgscope_enable_mouse() }
    // Bracketed paste: the terminal marks pasted text, so a pasted line reaches a prompt
    // whole (its line break does not press Enter).
    // Home and End as every common terminal sends them: inside tmux or screen with an
    // outer `TERM` (xterm-256color over SSH) the keys come as `\e[1~` `\e[4~`, which that
    // terminfo entry does not name.
    for home in ["\u{1B}[1~", "\u{1B}[7~", "\u{1B}[H", "\u{1B}OH"] {
      _ = define_key(home, KEY_HOME)
    }
    for end in ["\u{1B}[4~", "\u{1B}[8~", "\u{1B}[F", "\u{1B}OF"] { _ = define_key(end, KEY_END) }
    _ = define_key("\u{1B}[200~", Self.pasteStartCode)
    _ = define_key("\u{1B}[201~", Self.pasteEndCode)
    fputs("\u{1B}[?2004h", output)
    fflush(output)
    if useColor && has_colors() {
      start_color()
      use_default_colors()
      colorCount = Int(orgscope_colors())
      colorEnabled = colorCount >= 8
    } else {
      colorCount = 0
      colorEnabled = false
    }
  }

  /// Restores the terminal. Safe to call more than once.
  func close() {
    guard !closed else { return }
    closed = true
    defer { orgscope_crash_guard_terminal_off() }
    fputs("\u{1B}[?2004l", output)
    fflush(output)
    curs_set(1)
    endwin()
    delwin(window)
    delscreen(screen)
    fclose(output)
    fclose(input)
  }

  /// The descriptor keys arrive on, for the runtime to wait on with its inbox.
  var inputDescriptor: Int32 { fileno(input) }

  var size: (width: Int, height: Int) {
    (Int(getmaxx(window)), Int(getmaxy(window)))
  }

  /// Waits up to `milliseconds` for a key (0 = only what is already typed).
  func read(timeout milliseconds: Int32) -> TerminalEvent? {
    wtimeout(window, milliseconds)
    var code: UInt32 = 0
    switch orgscope_read_key(window, &code) {
    case 1: return character(code).map(TerminalEvent.key)
    case 2:
      if Int32(code) == KEY_RESIZE {
        let (width, height) = size
        previous = nil
        return .resize(width: width, height: height)
      }
      if Int32(code) == KEY_MOUSE {
        var x: Int32 = 0
        var y: Int32 = 0
        switch orgscope_read_mouse(&x, &y) {
        case 1: return .mouse(MouseEvent(.press, x: Int(x), y: Int(y)))
        case 2: return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y)))
        case 3: return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y)))
        default: return nil
        }
      }
      if Int32(code) == Self.pasteStartCode { return .pasteStart }
      if Int32(code) == Self.pasteEndCode { return .pasteEnd }
      return functionKey(Int32(code)).map(TerminalEvent.key)
    default: return nil
    }
  }

  /// Key codes for the bracketed paste marks, far above ncurses' own and the extended keys
  /// it numbers from `KEY_MAX` up.
  static let pasteStartCode = KEY_MAX + 0x1000
  static let pasteEndCode = KEY_MAX + 0x1001

  private func character(_ code: UInt32) -> Key? {
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    case 1...26:
      guard let scalar = Unicode.Scalar(code + 96) else { return nil }
      return .ctrl(Character(scalar))
    default:
      guard let scalar = Unicode.Scalar(code), code >= 32 else { return nil }
      return .character(Character(scalar))
    }
  }

  private func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_NPAGE: return .pageDown
    case KEY_PPAGE: return .pageUp
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_BTAB: return .backTab
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_ENTER: return .enter
    default: return nil
    }
  }

  /// Shows `buffer`, writing only the cells that changed since the last frame.
  func draw(_ buffer: Buffer) {
    let full = previous.map { $0.width != buffer.width || $0.height != buffer.height } ?? true
    if full { werase(window) }
    var current: Style?
    var scalars: [wchar_t] = []
    for y in 0..<buffer.height {
      for x in 0..<buffer.width {
        let cell = buffer[x, y]
        if !full, let previous, previous[x, y] == cell { continue }
        if cell.isContinuation { continue }
        if cell.style != current {
          let (attrs, pair) = attributes(cell.style)
          orgscope_set_style(window, attrs, pair)
          current = cell.style
        }
        scalars.removeAll(keepingCapacity: true)
        for scalar in DisplayWidth.terminalText(cell.text).unicodeScalars {
          scalars.append(wchar_t(bitPattern: scalar.value))
        }
        orgscope_put(window, Int32(y), Int32(x), scalars, Int32(scalars.count))
      }
    }
    wnoutrefresh(window)
    doupdate()
    previous = buffer
  }

  /// After the process was stopped and brought back: curses' terminal modes again, and a
  /// whole frame next (the shell may have changed both meanwhile).
  func resumeAfterStop() {
    reset_prog_mode()
    previous = nil
    clearok(window, true)
  }

  /// Writes bytes straight to the terminal (OSC 52), after the current frame.
  func writeRaw(_ text: String) {
    fputs(text, output)
    fflush(output)
  }

  private func attributes(_ style: Style) -> (UInt32, Int32) {
    if let cached = pairs[style] { return cached }
    var attrs: UInt32 = 0
    if style.bold { attrs |= orgscope_attr_bold() }
    if style.reverse { attrs |= orgscope_attr_reverse() }
    if style.underline { attrs |= orgscope_attr_underline() }
    if style.dim { attrs |= orgscope_attr_dim() }
    var pair: Int32 = 0
    if colorEnabled, style.fg != .default || style.bg != .default,
      nextPair < orgscope_color_pairs()
    {
      pair = nextPair
      nextPair += 1
      orgscope_init_pair(pair, colorNumber(style.fg), colorNumber(style.bg))
    }
    pairs[style] = (attrs, pair)
    return (attrs, pair)
  }

  /// The terminal's number for a colour: palette indices beyond what it has and RGB are
  /// mapped to the nearest colour it can show.
  private func colorNumber(_ color: Color) -> Int32 {
    switch color {
    case .default: return -1
    case .index(let index):
      if Int(index) < colorCount { return Int32(index) }
      return Int32(Self.nearestBasic(Self.rgb(ofPalette: index), count: colorCount))
    case .rgb(let red, let green, let blue):
      if colorCount >= 256 {
        return Int32(Color.nearestPaletteIndex(red: red, green: green, blue: blue))
      }
      return Int32(Self.nearestBasic((red, green, blue), count: colorCount))
    }
  }

  private static let basic: [(UInt8, UInt8, UInt8)] = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
    (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
    (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
  ]

  static func rgb(ofPalette index: UInt8) -> (UInt8, UInt8, UInt8) {
    if index < 16 { return basic[Int(index)] }
    if index >= 232 {
      let level = UInt8(8 + 10 * (Int(index) - 232))
      return (level, level, level)
    }
    let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
    let cube = Int(index) - 16
    return (levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6])
  }

  static func nearestBasic(_ color: (UInt8, UInt8, UInt8), count: Int) -> Int {
    let limit = min(basic.count, max(1, count))
    var best = 0
    var bestDistance = Int.max
    for index in 0..<limit {
      let candidate = basic[index]
      let dr = Int(candidate.0) - Int(color.0)
      let dg = Int(candidate.1) - Int(color.1)
      let db = Int(candidate.2) - Int(color.2)
      let distance = dr * dr + dg * dg + db * db
      if distance < bestDistance {
        best = index
        bestDistance = distance
      }
    }
    return best
  }
}
