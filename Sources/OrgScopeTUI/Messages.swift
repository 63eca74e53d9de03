import OrgScopeCore

/// Everything that can happen to the UI: keys, resizes, and the answers to commands.
public enum Message: Sendable {
  case key(Key)
  /// A click or a wheel turn (unless `--no-mouse`).
  case mouse(MouseEvent)
  case resize(width: Int, height: Int)
  /// A page arrived for the listing `generation` of tab `tab`, requested with `cursor`.
  case pageLoaded(tab: Int, generation: Int, cursor: PageCursor?, page: Page)
  case pageFailed(tab: Int, generation: Int, cursor: PageCursor?, error: String)
  /// The search debounce timer `token` of tab `tab` ran out.
  case debounceFired(tab: Int, token: Int)
  /// A "who can" job's answer (computed off the UI thread).
  case whoCanAnswered(WhoCanResult)
  /// The people load `number`: how far the assignments are, its data, or why it failed.
  case peopleProgress(number: Int, done: Int, total: Int)
  case peopleLoaded(number: Int, PeopleData)
  case peopleFailed(number: Int, error: String)
  /// A role's deny notes (computed off the UI thread).
  case notesComputed(RolePolicy, [RoleAudit.EntryNote])
  case exported(path: String, count: Int)
  case exportFailed(String)
  case status(StatusMessage)
  /// The status message that had `token` has been shown long enough.
  case statusExpired(token: Int)
}

/// A page request: which listing it is for travels with it and comes back in the answer.
public struct FetchRequest: Sendable, Hashable {
  public var tab: Int
  public var source: SourceID
  public var generation: Int
  public var query: Query
  public var cursor: PageCursor?
}

/// What to write for `e`.
public struct ExportRequest: Sendable, Hashable {
  public enum Format: String, Sendable, Hashable {
    case json
    case csv
  }
  public var format: Format
  public var source: SourceID
  public var records: [Record]
  /// A "who can" answer is exported as the command line writes it: one row per role with
  /// its `kind` (granted, overridden) and `coverage`, not the records.
  public var audit: RoleAudit.GrantsResult?
  /// By person, as `orgscope who-can` writes it: one row per user with its coverage.
  public var people: PeopleAudit.Result?

  public init(
    format: Format, source: SourceID, records: [Record], audit: RoleAudit.GrantsResult? = nil,
    people: PeopleAudit.Result? = nil
  ) {
    self.format = format
    self.source = source
    self.records = records
    self.audit = audit
    self.people = people
  }
}

/// Side effects `update` asks for; the runtime performs them and answers with messages.
public enum Command: Sendable, Hashable {
  case fetch(FetchRequest)
  case debounce(tab: Int, token: Int, milliseconds: Int)
  case copy(String)
  case export(ExportRequest)
  /// Answer a "who can" query over every role (index and query): heavy at 10,000 roles, so
  /// the runtime runs it off the UI thread and answers with `.whoCanAnswered`.
  case whoCan(WhoCanJob)
  /// Load the users and their role assignments (`TUIOptions.people`), answering with
  /// `.peopleProgress`, then `.peopleLoaded` or `.peopleFailed`, all with `number`.
  case loadPeople(number: Int)
  /// Stop the people load `number` (Esc).
  case stopPeople(number: Int)
  /// Compute a role's deny notes off the UI thread (`.notesComputed`).
  case roleNotes(RolePolicy)
  /// Clear the status message `token` after `milliseconds`, if it is still shown.
  case expireStatus(token: Int, milliseconds: Int)
  case quit
}
