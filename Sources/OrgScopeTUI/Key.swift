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
  /// Text that arrived whole: a bracketed paste, or a burst of characters read together.
  /// A prompt types it at once; elsewhere each character is a key.
  case paste(String)
}

/// A mouse event, decoded by the backend: a press of the first button or a wheel turn, at
/// a cell of the screen.
public struct MouseEvent: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case press
    case wheelUp
    case wheelDown
  }
  public var kind: Kind
  public var x: Int
  public var y: Int

  public init(_ kind: Kind, x: Int, y: Int) {
    self.kind = kind
    self.x = x
    self.y = y
  }
}
