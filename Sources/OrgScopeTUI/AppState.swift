import OrgScopeCore

/// Everything loaded for one query of one source: pages arrive in order and are appended.
/// A listing is identified by its `generation`, which every fetch command and its answer
/// carry, so an answer for a listing that is no longer shown can never reach the screen.
public struct Listing: Sendable {
  public var query: Query
  public var generation: Int
  public var records: [Record] = []
  /// The records' search keys, for the local filter.
  public var searchIndex = SearchIndex()
  /// The cursor of the next page; nil before the first page and after the last.
  public var next: PageCursor?
  public var started = false
  public var exhausted = false
  public var total: Int?
  /// The page being fetched (`.some(nil)` is the first page).
  public var inFlight: PageCursor??
  /// The one paging engine, as the CLI runs it: which page comes next, each cursor asked
  /// for once (among the recent ones, so memory stays flat), and the guard that stops a
  /// server paging forever with the CLI's error.
  public var paging: PagingEngine
  public var pagesLoaded = 0
  public var lastPageSize = 0
  public var error: String?

  public init(
    query: Query, generation: Int, source: SourceID,
    recordCap: Int = PagingEngine.defaultRecordCap
  ) {
    self.query = query
    self.generation = generation
    paging = PagingEngine(source: source, limits: .init(recordCap: recordCap))
  }

  /// More pages can be fetched right now.
  var canFetchMore: Bool {
    error == nil && inFlight == nil && !exhausted && (!started || next != nil)
  }
}

/// One tab: a configured source (or one that says what to set), its listings and the view
/// position. The cursor indexes `rows` when a local filter is active, else the records.
public struct SourceTab: Sendable {
  public let source: SourceID
  /// What the source's records look like (columns, cells, detail sections): plain data.
  /// The live client that fetches pages belongs to the runtime, not to the state.
  public let provider: (any Provider)?
  public let missingHint: String?
  public let columns: [ColumnSpec]
  public let capabilities: SourceCapabilities
  /// Records a listing may hold (the client's `recordCap`, from the configuration).
  public let recordCap: Int

  /// Filters and the search text that the current listing was made for.
  public var query = Query()
  /// What the user has typed after `/` (may run ahead of `query.search` while debouncing).
  public var searchField = TextField()
  public var searchText: String {
    get { searchField.text }
    set { if newValue != searchField.text { searchField = TextField(newValue) } }
  }
  public var debounceToken = 0
  /// Listings by recency; the current one is `listings[current]`. Older ones are kept so
  /// going back to a previous query does not fetch its pages again.
  public var listings: [Listing] = []
  public var current: Int?
  /// Indices into the current listing's records that pass the local filter; nil = all.
  public var rows: [Int]?
  /// How many records of the current listing `rows` has already looked at.
  public var scanned = 0
  /// Recent local filter results, newest last: erasing a typed letter goes back to rows
  /// already computed instead of scanning every record again.
  public var filterMemo: [FilterMemo] = []
  public var cursor = 0
  public var top = 0
  public var detailScroll = 0
  public var shown = false
  /// The roles tab's "who can" audit (`p`); while it has results the list shows them.
  public var whoCan: WhoCan?
  /// The number of the last "who can" job sent off: an answer that comes back with an
  /// older one is stale. Kept per tab, not per query, so a query asked again after `Esc`
  /// never takes the answer of one sent before.
  var whoCanJobs = 0
  /// `m`: the role the selected one is compared with by `d`.
  public var marked: Record?
  /// `d`: the marked role (A) against the role that was selected (B), as `roles diff` says.
  public var roleDiff: RoleAudit.DiffResult?
  /// The text searched for in the detail pane (`/` there); `n`/`N` move between matches.
  public var detailSearchField = TextField()
  public var detailSearch: String {
    get { detailSearchField.text }
    set { if newValue != detailSearchField.text { detailSearchField = TextField(newValue) } }
  }
  /// `w`: records filtered by their fields (`status=suspended …`), here on the records.
  public var fieldFilter: FieldFilter?
  /// What is typed after `w`, and why it could not be read.
  public var whereField = TextField()
  public var whereText: String {
    get { whereField.text }
    set { if newValue != whereField.text { whereField = TextField(newValue) } }
  }
  public var whereError: String?
  /// The text whose missing fields were pointed out before the last page: Enter again
  /// filters by it anyway.
  public var whereWarned: String?
  /// The active field filter's fields that no record has, once every record is loaded.
  public var whereMissing: MissingFields?
  /// `--since`: the snapshot that marks what changed; `c`: only the changes (Changes.swift).
  public var since: Baseline?
  public var changes: ChangeList?
  /// After `r`: the record to select again (and its row on screen) once it is loaded.
  public var pendingSelection: PendingSelection?
  /// `G`/End or "export all": every page is loaded, then this happens.
  public var loadingToEnd: ToEnd?
  /// `s`/`S` when the server cannot sort by the column: the loaded rows sorted here.
  public var localSort: ListSort?
  var sortKeys: SortKeys?

  public init(setup: SourceSetup) {
    source = setup.source
    provider = setup.client?.provider
    recordCap = setup.client?.recordCap ?? PagingEngine.defaultRecordCap
    switch setup {
    case .ready(let client):
      missingHint = nil
      columns = client.provider.columns
      capabilities = client.provider.capabilities
    case .missing(_, let hint):
      missingHint = hint
      columns = []
      capabilities = SourceCapabilities()
    }
  }

  public var listing: Listing? {
    guard let current, listings.indices.contains(current) else { return nil }
    return listings[current]
  }

  /// The "who can" answer the list shows, when there is one for the current listing.
  public var audit: WhoCan.Answer? {
    guard let answer = whoCan?.answer, answer.generation == listing?.generation else {
      return nil
    }
    return answer
  }

  /// Number of rows the list shows.
  public var rowCount: Int {
    changes?.records.count ?? audit?.rows.count ?? rows?.count ?? listing?.records.count ?? 0
  }

  /// The record at list row `row`.
  public func record(at row: Int) -> Record? {
    if let changes { return changes.records.indices.contains(row) ? changes.records[row] : nil }
    guard let listing else { return nil }
    let index: Int
    if let audit {
      index = row < audit.rows.count ? audit.rows[row].record : -1
    } else {
      index = rows.map { row < $0.count ? $0[row] : -1 } ?? row
    }
    return listing.records.indices.contains(index) ? listing.records[index] : nil
  }

  /// The "who can" row of list row `row`, while an answer is shown.
  public func auditRow(at row: Int) -> WhoCan.Row? {
    guard let audit, audit.rows.indices.contains(row) else { return nil }
    return audit.rows[row]
  }

  public var selected: Record? { record(at: cursor) }

  /// A "who can" query waits for its answer: every page must be loaded.
  public var whoCanWaits: Bool {
    guard let whoCan, !whoCan.query.isEmpty, whoCan.error == nil else { return false }
    return audit == nil || audit?.query != whoCan.query
  }

  /// Pages are being loaded one after another for `G`, an export of all rows, or a reload
  /// looking for the selected record (once its first page is in): any key stops it.
  public var loadsOnItsOwn: Bool {
    guard let listing, !listing.exhausted, listing.error == nil else { return false }
    return loadingToEnd != nil || (pendingSelection != nil && !listing.records.isEmpty)
  }

  /// The search is applied locally: the server cannot filter by it in this match mode.
  public var filtersLocally: Bool {
    searchesLocally || fieldFilter != nil
  }

  /// The search text is matched here, not on the server.
  public var searchesLocally: Bool { LocalFilter.isNeeded(capabilities, query: query) }
}

/// The roles tab's "who can" audit: which roles grant some of a permission or pattern.
public struct WhoCan: Sendable {
  /// What is typed after `p` (may run ahead of `query` while debouncing).
  public var field = TextField()
  public var text: String {
    get { field.text }
    set { if newValue != field.text { field = TextField(newValue) } }
  }
  /// The query the answer is for (or is being prepared for).
  public var query = ""
  public var token = 0
  /// Why the typed text is not a pattern.
  public var error: String?
  public var answer: Answer?
  /// Compiled policies of the listing, kept between queries (with what was decided). While
  /// a job is computing, the index travels with it and comes back with its answer.
  var index: WhoCanIndex?
  /// The job being computed (its number), if one is.
  public internal(set) var computing: Int?

  /// One role of the answer.
  public struct Row: Sendable, Hashable {
    /// Index into the listing's records.
    public var record: Int
    /// `.none` marks a role whose own deny entries take the query away.
    public var coverage: Coverage
    public var allow: [String]
    public var deny: [String]
    /// By person: another role of the user has a deny entry meeting what this one grants.
    public var contested = false

    /// The Can column: the coverage; `denied` (by role) or `held` (by person) when the
    /// role's own deny list takes it away; `!` after a contested user's.
    func canCell(byPerson: Bool) -> String {
      if coverage == .none { return byPerson ? "held" : "denied" }
      return coverage.rawValue + (contested ? "!" : "")
    }
  }

  public struct Answer: Sendable {
    public var query: String
    public var generation: Int
    /// Granting roles (all, then some), then the overridden ones; by person, the users.
    public var rows: [Row]
    public var summary: String
    /// The answer as the command line has it (`roles grants`, or `who-can` by person on the
    /// users tab): what an export writes.
    public var result: RoleAudit.GrantsResult?
    public var people: PeopleAudit.Result? = nil
    /// For a bare word (`billing`) that only `*` entries reached: how to ask instead.
    public var hint: String? = nil

    /// How many rows grant some or all of the query, and how many are overridden.
    public var canCount: Int { result?.granted.count ?? people?.users.count ?? 0 }
    public var deniedCount: Int { result?.overridden.count ?? people?.overridden.count ?? 0 }

    /// By person: the answer for user `sid`, if they can or are held back.
    public func person(_ sid: String) -> PeopleAudit.Answer? {
      guard let people else { return nil }
      return (people.users + people.overridden + people.undecided).first { $0.person.sid == sid }
    }
  }
}

/// What to keep on screen across a reload: the selected record and its row in the list.
public struct PendingSelection: Sendable, Hashable {
  public var id: String
  public var offset: Int
}

/// Why every page is being loaded, and what follows.
public enum ToEnd: Sendable, Hashable {
  /// `G`/End: land on the last record.
  case last
  /// `e` then "all rows": export in this format.
  case export(ExportRequest.Format)
}

/// What has the keyboard.
public enum Focus: Sendable, Hashable {
  case list
  case detail
  case search
  case whoCan
  case detailSearch
  /// `w`: the field filter prompt.
  case wherePrompt
  case filters
  case help
  case exportPrompt
  /// `v`: the selected record's raw JSON.
  case raw
  /// `:`: the command line.
  case command

}

/// A status line message.
public struct StatusMessage: Sendable, Hashable {
  public enum Level: Sendable, Hashable {
    case info
    case warn
    case error
  }
  public var level: Level
  public var text: String
}

/// The filters dialog: a draft of the query, applied on Enter.
public struct FilterDialog: Sendable, Hashable {
  public enum Field: Sendable, Hashable {
    case match
    /// One of the source's `FilterSpec`s: its `Query.filters` key, label, and whether it is
    /// a flag (else text).
    case filter(name: String, label: String, isFlag: Bool)
    case sort
  }
  public var draft: Query
  public var fields: [Field]
  public var selected = 0
  /// The selected text field's text and cursor (its text is kept in `draft` too).
  public var editor = TextField()
}

/// The whole UI state. `update` is the only thing that changes it; `view` only reads it.
public struct AppState: Sendable {
  public var tabs: [SourceTab]
  /// Every key binding: `browseKey` dispatches through it and the help is drawn from it.
  public let keyMap: KeyMap
  public var active = 0
  public var focus: Focus = .list
  public var width: Int
  public var height: Int
  public var theme: Theme
  /// The terminal speaks UTF-8: box drawing and `…`; otherwise ASCII.
  public var unicode: Bool
  public var status: StatusMessage? {
    didSet { if status != oldValue { statusToken += 1 } }
  }
  /// Changes with every new status message; a message fades when its timer's token is
  /// still the current one.
  public var statusToken = 0
  /// First line of the raw JSON view (`v`).
  public var rawScroll = 0
  public var filterDialog: FilterDialog?
  public var helpScroll = 0
  /// What is typed after `:`, and what the last Enter or Tab there had to say.
  public var commandField = TextField()
  public var commandNote: StatusMessage?
  public var nextGeneration = 1
  public var quitting = false
  /// Listings kept per tab, the current one included.
  public var listingCacheLimit = 6
  /// Shown in the status line when it has nothing else to say ("snapshot of …").
  public var title: String?
  /// The users and their role assignments (the users tab's detail pane and who can, by
  /// person), loaded once for every tab.
  public var people = PeopleState()
  /// The roles' deny notes, computed off the UI thread (RoleNotes.swift).
  public var notes = NotesCache()

  public init(
    sources: [SourceSetup], width: Int = 80, height: Int = 24, theme: Theme = .fallback,
    unicode: Bool = true
  ) {
    tabs = sources.map(SourceTab.init(setup:))
    keyMap = KeyMap(tabCount: tabs.count)
    // The first configured source is shown at start.
    active = tabs.firstIndex { $0.provider != nil } ?? 0
    self.width = width
    self.height = height
    self.theme = theme
    self.unicode = unicode
  }

  public var activeTab: SourceTab? { tabs.indices.contains(active) ? tabs[active] : nil }

  /// The keyboard types into a text field: a prompt, or the filters' selected text field.
  var typesText: Bool {
    switch focus {
    case .search, .whoCan, .detailSearch, .wherePrompt, .command: return true
    case .filters:
      guard let dialog = filterDialog, dialog.fields.indices.contains(dialog.selected) else {
        return false
      }
      return App.isTextField(dialog.fields[dialog.selected])
    case .list, .detail, .help, .exportPrompt, .raw: return false
    }
  }
}

/// The rows a local search found in one listing, and how many records it had looked at.
public struct FilterMemo: Sendable {
  public var search: String
  public var match: MatchMode
  public var generation: Int
  public var rows: [Int]
  public var scanned: Int

  /// How many results a tab keeps.
  static let limit = 8
}
