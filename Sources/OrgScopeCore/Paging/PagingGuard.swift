import Foundation

/// The cursors of the last `capacity` pages, to end a list whose cursor repeats (a server
/// bug that would loop forever). Bounded, so that paging a server that never ends keeps
/// memory flat: a cycle longer than `capacity` pages looks like an endless list, which the
/// other guards and `--max` bound.
struct RecentCursors {
  static let capacity = 4096
  private var set = Set<PageCursor>()
  private var order: [PageCursor] = []
  private var oldest = 0

  /// Records `cursor`; false when it is among the recent ones.
  mutating func insert(_ cursor: PageCursor) -> (inserted: Bool, memberAfterInsert: PageCursor) {
    guard set.insert(cursor).inserted else { return (false, cursor) }
    if order.count < Self.capacity {
      order.append(cursor)
    } else {
      set.remove(order[oldest])
      order[oldest] = cursor
      oldest = (oldest + 1) % Self.capacity
    }
    return (true, cursor)
  }
}

/// Stops a list that a server would page forever (a new cursor on every page): too many
/// empty pages in a row, or far more pages than the provider's reported total can fill.
struct PagingGuard {
  let source: SourceID
  var pages = 0
  var emptyInARow = 0
  var records = 0
  /// The first page's size and the total it reported, if any.
  var firstPageSize: Int?
  var reportedTotal: Int?

  init(source: SourceID) { self.source = source }

  /// Counts a page of `count` records (and the `total` it reported) that points to a next
  /// one; throws once the list should be given up.
  mutating func check(records count: Int, total: Int?) throws {
    pages += 1
    records += count
    if firstPageSize == nil { firstPageSize = count }
    if reportedTotal == nil { reportedTotal = total }
    emptyInARow = count == 0 ? emptyInARow + 1 : 0
    if emptyInARow >= SourceClient.emptyPageLimit {
      throw OrgScopeError.invalidResponse(
        source: source, status: 200,
        message:
          "\(emptyInARow) empty pages in a row that each point to another page; stopped after \(pages) pages"
      )
    }
    if let limit = pageLimit, pages > limit {
      throw OrgScopeError.invalidResponse(
        source: source, status: 200,
        message:
          "more than \(limit) pages for the \(reportedTotal ?? 0) records the server reported; stopped"
      )
    }
  }

  /// Twice the pages the reported total needs, plus 10; nil without a total.
  var pageLimit: Int? {
    guard let total = reportedTotal, total >= 0 else { return nil }
    let size = max(1, firstPageSize ?? 1)
    return 2 * ((total + size - 1) / size) + 10
  }
}
