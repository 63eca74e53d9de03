/// Pages that come from somewhere other than a provider's API: a snapshot file read back.
/// A `SourceClient` made with one (`SourceClient.offline`) answers every page from it, so
/// `list`, the role audit and the TUI page an offline source exactly as a live one, and no
/// request is ever sent.
public protocol PageSource: Sendable {
  /// The first page (`cursor == nil`) or the page after `cursor`, with `query` applied as
  /// the provider's server would apply it (search, filters, sort).
  func page(query: Query, cursor: PageCursor?) async throws -> Page
}

extension SourceClient {
  /// A client of `provider` whose pages come from `pages`: no base URL, credentials or
  /// transport that could reach a network.
  public static func offline(provider: any Provider, pages: any PageSource) -> SourceClient {
    SourceClient(
      provider: provider, base: BaseURL(scheme: "file", host: "", port: nil, pathPrefix: ""),
      auth: NoCredentials(), transport: NoNetwork(), offline: pages)
  }

  /// `pages(…)` of an offline client: the same engine and bounds as a live one, each page
  /// asked for once the one before it has arrived.
  func offlinePages(_ source: any PageSource, query: Query, limits: PagingEngine.Limits)
    -> PageStream
  {
    let credit = Credit(Self.pagesAhead)
    let stream = AsyncThrowingStream<Page, Error> { continuation in
      let task = Task {
        do {
          var engine = PagingEngine(source: self.source, limits: limits)
          var step = engine.start()
          while !Task.isCancelled, case .fetch(let cursor) = step {
            let page = try await source.page(query: query, cursor: cursor)
            // Checked before it is handed on: a page past the record cap never leaves.
            step = try engine.next(after: page)
            try await credit.take()
            continuation.yield(page)
          }
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      continuation.onTermination = { _ in task.cancel() }
    }
    return PageStream(stream: stream, credit: credit)
  }
}

/// The authenticator of an offline client: there is nothing to authorize.
struct NoCredentials: Authenticator {
  func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws {}
  func invalidate() async -> Bool { false }
  var secrets: [String] { [] }
}

/// The transport of an offline client: any request is a bug, refused without a socket.
struct NoNetwork: HTTPTransport {
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    throw OrgScopeError.network(source: source, message: "offline: no request is sent")
  }
}
