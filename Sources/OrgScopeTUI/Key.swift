/// A key press, decoded from the terminal by the backend; `update` never sees ncurses codes.
public enum Key: Sendable, Hashable {
  case character(Character)
  case up
  case down
  case left
  case right
  case pageUp
  case pageDown
  case home
  case end
  case enter
  case escape
  case tab
  case backTab
  case backspace
  case delete
  /// Ctrl plus a letter, lower-cased (`ctrl("c")`).
  case ctrl(Character)
}
