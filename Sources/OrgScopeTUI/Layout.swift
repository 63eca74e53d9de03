/// A rectangle of cells.
public struct Rect: Sendable, Hashable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int
}

/// Where things go on a screen of a given size. `update` uses it for paging and scrolling,
/// `view` for drawing, so both agree on how many rows the list shows.
public struct Layout: Sendable, Hashable {
  /// At this width and wider the detail pane sits right of the list, else below it.
  public static let sideBySideWidth = 100

  public let width: Int
  public let height: Int
  public let sideBySide: Bool
  /// The list header row and its rows below it.
  public let list: Rect
  /// The detail title row and its content below it.
  public let detail: Rect

  public init(width: Int, height: Int) {
    self.width = max(1, width)
    self.height = max(1, height)
    let bodyTop = 1
    let bodyHeight = max(0, self.height - 2)
    sideBySide = self.width >= Layout.sideBySideWidth
    if sideBySide {
      let listWidth = self.width * 11 / 20
      list = Rect(x: 0, y: bodyTop, width: listWidth, height: bodyHeight)
      detail = Rect(
        x: listWidth + 1, y: bodyTop, width: self.width - listWidth - 1, height: bodyHeight)
    } else {
      let listRows = max(1, (bodyHeight - 1) / 2)
      let listHeight = min(bodyHeight, listRows + 1)
      list = Rect(x: 0, y: bodyTop, width: self.width, height: listHeight)
      detail = Rect(
        x: 0, y: bodyTop + listHeight, width: self.width, height: max(0, bodyHeight - listHeight))
    }
  }

  /// Rows of records the list shows (below its header).
  public var listRows: Int { max(1, list.height - 1) }
  /// Rows of content the detail pane shows (below its title).
  public var detailRows: Int { max(1, detail.height - 1) }
  public var statusRow: Int { height - 1 }
}

extension Layout {
  /// The layout of the state's screen size.
  init(_ state: AppState) { self.init(width: state.width, height: state.height) }
}
