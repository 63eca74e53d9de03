/// What the detail pane shows for a record: titled sections of key/value lines. Providers
/// build these; the TUI only lays them out and colours them by `style`.
public struct DetailSection: Sendable, Hashable {
  public var title: String
  public var lines: [DetailLine]
  public init(title: String, lines: [DetailLine]) {
    self.title = title
    self.lines = lines
  }
}

public struct DetailLine: Sendable, Hashable {
  public enum Style: Sendable, Hashable {
    case normal
    case dim
    case heading
    case allow
    case deny
    /// Highlighted: what answers the question being asked (a "who can" query).
    case match
  }
  public var key: String
  public var value: String
  public var style: Style
  public var indent: Int
  public init(key: String, value: String, style: Style = .normal, indent: Int = 0) {
    self.key = key
    self.value = value
    self.style = style
    self.indent = indent
  }
}
