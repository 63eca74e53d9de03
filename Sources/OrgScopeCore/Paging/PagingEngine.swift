import Foundation

/// The one paging engine: which page to ask for next, decided from what the pages said, with
/// every bound a list has. Pure (no I/O and no clock of its own: callers pass the time), so
/// every caller pages by the same rules: the live client (`SourceClient.pages`, both its
/// paths), the offline reader (snapshots, `offlinePages`), `snapshot` (through `pages`) and
/// the TUI (a `Listing` holds one and asks it at every page).
///
/// A list ends quietly at its last page, when a cursor repeats (a server bug that would
/// loop), or at `maxRecords` / `maxRequests`; it ends with one error when the server would
/// page forever (`PagingGuard`), a page repeats only records already listed, the list
/// passes its record cap (`Limits.recordCap`), or the `deadline` passes. The record checks
/// run before a page is handed on, so a consumer never receives more than the cap.
public struct PagingEngine: Sendable {
  /// The bounds a caller asks for on top of the guards every list has.
  public struct Limits: Sendable, Hashable {
    /// Stop once this many records have arrived (`list --max`).
    public var maxRecords: Int?
    /// Send at most this many page requests, the first included (`list --max`), so a limit
    /// holds even when pages come back empty.
    public var maxRequests: Int?
    /// How long the whole list may take from its first request; nil: no time bound (the
    /// guards and the transport's per-request deadline still hold).
    public var deadline: Duration?
    /// More records than this end the list with an error (a server that never stops
    /// sending new records); `list --max` and `max_records` in the config file raise it.
    public var recordCap: Int

    public init(
      maxRecords: Int? = nil, maxRequests: Int? = nil, deadline: Duration? = nil,
      recordCap: Int = PagingEngine.defaultRecordCap
    ) {
      self.maxRecords = maxRecords
      self.maxRequests = maxRequests
      self.deadline = deadline
      self.recordCap = recordCap
    }
  }

  /// Why a list ended without an error.
  public enum End: Sendable, Hashable {
    /// The page had no next cursor.
    case lastPage
    /// The next cursor is one asked for recently: following it would loop.
    case repeatedCursor
    case maxRecords
    case maxRequests
  }

  /// What to do next.
  public enum Step: Sendable, Hashable {
    /// Ask for the page after this cursor (nil: the first page).
    case fetch(PageCursor?)
    case end(End)
  }

  /// Empty pages in a row, each pointing to a next one, after which a list is given up.
  public static let emptyPageLimit = 5
  /// How many recent cursors are remembered to notice one that repeats.
  public static let recentCursorCapacity = RecentCursors.capacity
  /// Records one list may hold unless the caller raises it (`Limits.recordCap`).
  public static let defaultRecordCap = 1_000_000

  public let source: SourceID
  public let limits: Limits
  /// Page requests admitted so far, the first included.
  public private(set) var requests = 0
  /// Records counted so far.
  public private(set) var records = 0
  private var started: ContinuousClock.Instant?
  private var seen = RecentCursors()
  private var pagingGuard: PagingGuard
  /// The hashes of the ids listed so far (at most `recordCap` of them), to notice a page
  /// that only repeats records. A hash collision could only end a list early with the
  /// error; with 64-bit per-process seeded hashes and a million ids it is about 1 in 10⁷.
  private var listed = Set<Int>()
  private var pages = 0

  public init(source: SourceID, limits: Limits = Limits()) {
    self.source = source
    self.limits = limits
    pagingGuard = PagingGuard(source: source)
  }

  /// Cursors remembered to notice a repeat: at most `recentCursorCapacity`, however long
  /// the list.
  public var remembered: Int { seen.count }

  /// The first request, once (the clock starts here).
  public mutating func start(now: ContinuousClock.Instant = .now) -> Step {
    precondition(requests == 0, "a paging engine starts once")
    started = now
    requests = 1
    return .fetch(nil)
  }

  /// After a page arrived whole, before it is handed on: the page to ask for next, or why
  /// the list ends. Throws when the server would page forever, the page repeats only
  /// records already listed, the list passes its record cap, or the deadline has passed.
  public mutating func next(after page: Page, now: ContinuousClock.Instant = .now) throws -> Step {
    let ids = count(page)
    if let maxRecords = limits.maxRecords, records >= maxRecords { return .end(.maxRecords) }
    let step = try admit(page.next, now: now)
    var more = false
    if case .fetch = step { more = true }
    try checkCap(more: more)
    if more {
      try checkRepeats(new: ids, of: page.records.count)
      try pagingGuard.check(records: page.records.count, total: page.total)
    }
    return step
  }

  /// Whether the page `cursor` points to may be asked for before the page that points to
  /// it is decoded (the live client reads the next cursor from the raw body and sends the
  /// request while the page decodes). Follow with `arrived` once that page is decoded.
  /// Not with `maxRecords`, which needs the records counted first.
  public mutating func admit(_ cursor: PageCursor?, now: ContinuousClock.Instant = .now) throws
    -> Step
  {
    guard let cursor else { return .end(.lastPage) }
    guard seen.insert(cursor) else { return .end(.repeatedCursor) }
    if let maxRequests = limits.maxRequests, requests >= maxRequests { return .end(.maxRequests) }
    if let deadline = limits.deadline, let started, now - started >= deadline {
      throw OrgScopeError.network(
        source: source,
        message:
          "the list did not end within \(deadline.components.seconds)s; stopped after \(requests) page requests"
      )
    }
    requests += 1
    return .fetch(cursor)
  }

  /// The page whose successor `admit` let through (or, `admitted` false, the last page),
  /// once decoded and before it is handed on: counts it, and throws when the server would
  /// page forever, the page repeats only records already listed, or the list passes its
  /// record cap.
  public mutating func arrived(_ page: Page, admitted: Bool = true) throws {
    let ids = count(page)
    try checkCap(more: admitted)
    guard admitted else { return }
    try checkRepeats(new: ids, of: page.records.count)
    try pagingGuard.check(records: page.records.count, total: page.total)
  }

  /// Counts the page's records; how many of their ids were not listed before.
  private mutating func count(_ page: Page) -> Int {
    pages += 1
    records += page.records.count
    var new = 0
    for record in page.records where listed.insert(record.id.hashValue).inserted { new += 1 }
    return new
  }

  /// Past the cap, or at it with more to come: one error, before the page is handed on.
  private func checkCap(more: Bool) throws {
    let cap = limits.recordCap
    guard records > cap || (more && records >= cap) else { return }
    throw OrgScopeError.invalidResponse(
      source: source, status: 200,
      message:
        "more than \(cap.formatted) records; stopped at the record cap (raise it with --max N or max_records in the config file)"
    )
  }

  /// A page of records all listed before, that points to yet another page: a server that
  /// pages in a loop with ever-new cursors.
  private func checkRepeats(new: Int, of count: Int) throws {
    guard count > 0, new == 0 else { return }
    throw OrgScopeError.invalidResponse(
      source: source, status: 200,
      message:
        "page \(pages) repeats only records already listed and points to another page; stopped")
  }
}

/// The cursors of the last `capacity` pages, to end a list whose cursor repeats (a server
/// bug that would loop forever). Bounded, so that paging a server that never ends keeps
/// memory flat: a cycle longer than `capacity` pages looks like an endless list, which the
/// other guards and `--max` bound.
struct RecentCursors: Sendable {
  static let capacity = 4096
  private var set = Set<PageCursor>()
  private var order: [PageCursor] = []
  private var oldest = 0

  var count: Int { order.count }

  /// Records `cursor`; false when it is among the recent ones.
  mutating func insert(_ cursor: PageCursor) -> Bool {
    guard set.insert(cursor).inserted else { return false }
    if order.count < Self.capacity {
      order.append(cursor)
    } else {
      set.remove(order[oldest])
      order[oldest] = cursor
      oldest = (oldest + 1) % Self.capacity
    }
    return true
  }
}

/// Stops a list that a server would page forever (a new cursor on every page): too many
/// empty pages in a row, or far more pages than the provider's reported total can fill.
struct PagingGuard: Sendable {
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
    if emptyInARow >= PagingEngine.emptyPageLimit {
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
