/// One account or role, with every field the provider sent.
///
/// A record holds only what arrived: list cells (`Provider.cells(of:)`) and the search key
/// are derived when needed, because 100,000 loaded records must stay small in memory.
public struct Record: Sendable, Hashable, Identifiable {
  /// The provider's id (`AC…`, `IX…`, a Cloudflare id, `sg…`, a Huawei id).
  public let id: String
  /// The human name (may be empty: Cloudflare `name` can be null).
  public let name: String
  /// Everything the provider sent for this record, in its order.
  public let fields: JSONObject
  /// Other texts the local search finds the record by, besides its name and id (a user's
  /// user name and e-mail addresses); empty for most records.
  public let aliases: [String]

  public init(id: String, name: String, fields: JSONObject, aliases: [String] = []) {
    self.id = id
    self.name = name
    self.fields = fields
    self.aliases = aliases
  }

  /// Lower-cased `name`, `id` and the aliases joined by U+001F, for the local filter.
  public var searchKey: String {
    var key = name + "\u{1F}" + id
    for alias in aliases { key += "\u{1F}" + alias }
    return key.lowercased()
  }
}

/// A list column: a title and how wide it likes to be (in terminal cells).
public struct ColumnSpec: Sendable, Hashable {
  public let title: String
  /// The preferred width; the name column (flexible) takes what is left.
  public let width: Int
  public let flexible: Bool
  /// An id (SID, account id): shortened in the middle, and dropped before any other column,
  /// when the list is narrow; the detail pane shows it whole.
  public let identifier: Bool
  /// A state an admin scans for (status, type, level): kept longest after the name.
  public let status: Bool
  public init(
    _ title: String, width: Int, flexible: Bool = false, identifier: Bool = false,
    status: Bool = false
  ) {
    self.title = title
    self.width = width
    self.flexible = flexible
    self.identifier = identifier
    self.status = status
  }
}

/// Where the next page is: a URL the server gave (`next_page_url`), or a token the
/// provider puts back into the next request (`page_token`, `marker`, `offset`, `PageToken`).
public enum PageCursor: Sendable, Hashable {
  case url(String)
  case token(String)
}

/// One page of a listing.
public struct Page: Sendable {
  public var records: [Record]
  /// nil when this is the last page.
  public var next: PageCursor?
  /// Total number of records matching the query, when the provider says (Cloudflare).
  public var total: Int?

  public init(records: [Record], next: PageCursor?, total: Int? = nil) {
    self.records = records
    self.next = next
    self.total = total
  }
}
