/// The base URL of a provider as configured: scheme, host, optional port and path prefix.
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
  public let scheme: String
  public let host: String
  public let port: Int?
  /// Path prefix without a trailing slash ("" or "/client/v4").
  public let pathPrefix: String

  /// The origin (`scheme://host[:port]`), the unit of the same-origin rule.
  public var origin: String { Self.origin(scheme: scheme, host: host, port: port) }

  /// `scheme://host[:port]`, the port left out when it is the scheme's default: the one
  /// place an origin is spelled, for configured bases and server-given URLs alike.
  public static func origin(scheme: String, host: String, port: Int?) -> String {
    let defaultPort = scheme == "https" ? 443 : 80
    if let port, port != defaultPort { return "\(scheme)://\(host):\(port)" }
    return "\(scheme)://\(host)"
  }

  public var description: String { origin + pathPrefix }

  public init(scheme: String, host: String, port: Int?, pathPrefix: String) {
    self.scheme = scheme.lowercased()
    self.host = host.lowercased()
    self.port = port
    self.pathPrefix = pathPrefix
  }
}

/// One provider API: how a query becomes a request, how a page and an error are read, and
/// how a record is shown. A provider holds no state and does no I/O: `SourceClient` (the
/// one paging engine) sends what it builds.
public protocol Provider: Sendable {
  var source: SourceID { get }
  var columns: [ColumnSpec] { get }
  var capabilities: SourceCapabilities { get }

  /// The request for the first page (`cursor == nil`) or the page after `cursor`.
  /// A `.url` cursor has already passed the same-origin check.
  func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec

  /// Reads one page from the successful answer: its body, and its headers for an API that
  /// pages by header (`LinkHeader`). `cursor` is the one this page was requested with
  /// (SendGrid stops when `pages.last` repeats it).
  func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws -> Page

  /// Where the page after this one is, read from the raw answer without decoding its
  /// records (a header, or the body skimmed by `JSONSkim`), so the paging engine can ask for
  /// it while this page is decoded. nil when it cannot be told cheaply: then the page is
  /// decoded first. It must agree with `decodePage(...).next` whenever it answers (the
  /// engine checks).
  func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage?

  /// The list columns of `record`, in the order of `columns`, raw (not sanitized).
  func cells(of record: Record) -> [String]

  /// Reads an error answer into the provider's code and message.
  func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError

  /// The detail pane for a record: every field, and provider-specific sections.
  func details(of record: Record) -> [DetailSection]

  /// The detail pane with a role's deny notes (`RoleAudit.notes`) given, computed elsewhere
  /// (the TUI computes them off its thread, once per role): nil shows that they are being
  /// computed. A provider without notes shows `details(of:)`.
  func details(of record: Record, notes: [RoleAudit.EntryNote]?) -> [DetailSection]

  /// The role policy `record` carries (its allow and deny entries, as written), in
  /// whatever shape the provider keeps it; nil for a record without one. What the role
  /// audit, "who can", `--since` and the snapshot's `permissions` rows read. A provider
  /// whose records carry policies also says so in `capabilities.policies`.
  func policy(of record: Record) -> RolePolicy?
}

/// Where the next page is, as `Provider.peekNext` reads it from a body.
public enum NextPage: Sendable, Hashable {
  case at(PageCursor)
  case end

  public init(_ cursor: PageCursor?) { self = cursor.map(NextPage.at) ?? .end }

  public var cursor: PageCursor? {
    if case .at(let cursor) = self { return cursor }
    return nil
  }
}

/// What `Provider.decodePage` reads: a successful answer, whole (status, headers, body).
public typealias PageResponse = HTTPResponseData

extension Provider {
  /// By default the engine decodes a page before asking for the next one.
  public func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    nil
  }

  /// `decodePage` of a body answered with 200 and no headers (fixtures, fuzzing).
  public func decodePage(_ body: [UInt8], query: Query, cursor: PageCursor?) throws -> Page {
    try decodePage(PageResponse(status: 200, body: body), query: query, cursor: cursor)
  }

  /// By default a record carries no role policy.
  public func policy(of record: Record) -> RolePolicy? { nil }

  /// By default the detail pane has no notes to wait for.
  public func details(of record: Record, notes: [RoleAudit.EntryNote]?) -> [DetailSection] {
    details(of: record)
  }
}
