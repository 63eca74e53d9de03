import Foundation

/// The one paging engine: sends what a `Provider` builds through the one `HTTPTransport`,
/// authorizes each request, enforces the same-origin rule on server-given next URLs, renews
/// credentials once after a 401 or 403, and turns error answers into `OrgScopeError`.
public struct SourceClient: Sendable {
  public let provider: any Provider
  public let base: BaseURL
  public let auth: any Authenticator
  public let transport: any HTTPTransport
  /// Where an offline client's pages come from (a snapshot file); nil for a live one.
  public let offline: (any PageSource)?
  /// Records one list may hold (`PagingEngine.Limits.recordCap`): `max_records` in the
  /// config file or `ORGSCOPE_MAX_RECORDS`, else `PagingEngine.defaultRecordCap`.
  public var recordCap = PagingEngine.defaultRecordCap

  public init(
    provider: any Provider, base: BaseURL, auth: any Authenticator, transport: any HTTPTransport,
    offline: (any PageSource)? = nil
  ) {
    self.provider = provider
    self.base = base
    self.auth = auth
    self.transport = transport
    self.offline = offline
  }

  public var source: SourceID { provider.source }

  /// Fetches the first page (`cursor == nil`) or the page after `cursor`.
  public func fetchPage(query: Query, cursor: PageCursor?) async throws -> Page {
    if let offline { return try await offline.page(query: query, cursor: cursor) }
    let response = try await fetchBody(query: query, cursor: cursor)
    return try decode(response, query: query, cursor: cursor)
  }

  /// The successful answer for the page after `cursor`; an error answer is thrown as the
  /// provider's `APIError`.
  func fetchBody(
    query: Query, cursor: PageCursor?, sent: @escaping @Sendable () -> Void = {}
  ) async throws -> HTTPResponseData {
    if case .url(let next) = cursor { try checkSameOrigin(next) }
    let request = try provider.request(base: base, query: query, cursor: cursor)
    var response = try await send(request, sent: sent)
    // Twilio's spec answers an expired token with 403 "Unauthorized" as well as 401; a
    // static key is not retried (`invalidate` says false).
    if response.status == 401 || response.status == 403, await auth.invalidate() {
      response = try await send(request)
    }
    guard (200..<300).contains(response.status) else {
      // Redacted before it is read: every field of the error comes from these bytes.
      let clean = ErrorBody.redacting(response, with: transport.redact)
      throw redacted(
        .api(provider.decodeError(status: clean.status, headers: clean.headers, body: clean.body)))
    }
    return response
  }

  func decode(_ response: HTTPResponseData, query: Query, cursor: PageCursor?) throws -> Page {
    do {
      return try provider.decodePage(response, query: query, cursor: cursor)
    } catch OrgScopeError.api(let error) {
      // An error inside a 200 answer (Cloudflare `success: false`): read it again from the
      // redacted body so nothing was cut before redaction.
      let clean = ErrorBody.redacting(response, with: transport.redact)
      var decoded = provider.decodeError(
        status: error.status, headers: clean.headers, body: clean.body)
      decoded.status = error.status
      throw redacted(.api(decoded))
    } catch let error as OrgScopeError {
      throw redacted(error)
    } catch {
      throw redacted(
        .invalidResponse(source: source, status: response.status, message: "\(error)"))
    }
  }

  /// The error with what the provider wrote (its message, a body excerpt) redacted.
  private func redacted(_ error: OrgScopeError) -> OrgScopeError {
    switch error {
    case .api(let api):
      return .api(ErrorBody.redacting(api, with: transport.redact))
    case .invalidResponse(let source, let status, let message):
      return .invalidResponse(source: source, status: status, message: transport.redact(message))
    default: return error
    }
  }

  /// Every page of `query`, in order, paged by the one engine (`PagingEngine`): until the
  /// provider says there is no next page, a cursor repeats (a server bug that would loop
  /// forever), or a limit is reached: `maxRecords` records read, `maxRequests` page requests
  /// sent (for `list --max`, so a limit holds even when pages come back empty), `deadline`
  /// passed.
  ///
  /// Pages are sequential on the wire, but when the provider can read the next cursor
  /// from the raw answer (`Provider.peekNext`), the next request leaves first, and this page
  /// is decoded and handed on while it travels: decoding, and whatever the consumer does
  /// with the page, overlap the round trip instead of adding to it (or delaying the next
  /// request on a busy 2-core machine). The decode must agree with the peek. A page that
  /// arrived whole is yielded even when the request after it fails.
  ///
  /// At most `pagesAhead` pages wait for the consumer: a slow one (`list | slow-reader`)
  /// holds the paging back instead of piling pages up in memory.
  ///
  /// A server that never ends a list is stopped with one error: `emptyPageLimit` empty pages
  /// in a row that still point to a next page, many more pages than the provider's own
  /// total allows (`PagingGuard`), a page that repeats only records already listed, or
  /// more records than `recordCap` (the client's unless given: `list --max` raises it).
  public func pages(
    query: Query, maxRecords: Int? = nil, maxRequests: Int? = nil, deadline: Duration? = nil,
    recordCap: Int? = nil
  ) -> PageStream {
    let limits = PagingEngine.Limits(
      maxRecords: maxRecords, maxRequests: maxRequests, deadline: deadline,
      recordCap: recordCap ?? self.recordCap)
    if let offline { return offlinePages(offline, query: query, limits: limits) }
    let credit = Credit(Self.pagesAhead)
    let stream = AsyncThrowingStream<Page, Error> { continuation in
      /// Hands `page` on once the consumer has room for it.
      func deliver(_ page: Page) async throws {
        try await credit.take()
        continuation.yield(page)
      }
      func checked(_ response: HTTPResponseData, _ asked: PageCursor?, against peeked: NextPage)
        throws -> Page
      {
        let page = try decode(response, query: query, cursor: asked)
        guard NextPage(page.next) == peeked else {
          throw OrgScopeError.invalidResponse(
            source: source, status: 200, message: "the next page cursor is ambiguous")
        }
        return page
      }
      let task = Task {
        do {
          var engine = PagingEngine(source: source, limits: limits)
          guard case .fetch(var asked) = engine.start() else { return continuation.finish() }
          var response = try await fetchBody(query: query, cursor: asked)
          while !Task.isCancelled {
            // With a record limit the page count matters more than overlap: no peeking.
            if limits.maxRecords == nil,
              let peeked = provider.peekNext(response, query: query, cursor: asked)
            {
              guard case .fetch(let next) = try engine.admit(peeked.cursor) else {
                let page = try checked(response, asked, against: peeked)
                try engine.arrived(page, admitted: false)
                try await deliver(page)
                break
              }
              // A child sends the next request at once; this task decodes this page once
              // that request has gone out (so that the two do not compete for a core),
              // checks it and hands it on while the request travels.
              let gone = Gate()
              async let following: HTTPResponseData = {
                defer { gone.open() }
                return try await fetchBody(query: query, cursor: next, sent: { gone.open() })
              }()
              await gone.wait()
              let page = try checked(response, asked, against: peeked)
              try engine.arrived(page)
              try await deliver(page)
              asked = next
              response = try await following
            } else {
              let page = try decode(response, query: query, cursor: asked)
              // Checked before it is handed on: a page past the record cap never leaves.
              let step = try engine.next(after: page)
              try await deliver(page)
              guard case .fetch(let next) = step else { break }
              asked = next
              response = try await fetchBody(query: query, cursor: next)
            }
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

  /// Empty pages in a row, each pointing to a next one, after which a list is given up.
  public static let emptyPageLimit = PagingEngine.emptyPageLimit

  /// Decoded pages that may wait for the consumer of `pages`. Beyond them the engine decodes
  /// one more and holds one answer, then sends nothing until the consumer takes a page.
  public static let pagesAhead = 2

  private func send(_ request: HTTPRequestSpec, sent: @escaping @Sendable () -> Void = {})
    async throws -> HTTPResponseData
  {
    var authorized = request
    try await auth.authorize(&authorized, transport: transport)
    return try await transport.send(authorized, source: source, sent: sent)
  }

  /// A server-given URL must point to the configured origin: credentials go nowhere else.
  public func checkSameOrigin(_ url: String) throws {
    guard let other = URLParts(url), other.origin == base.origin else {
      throw OrgScopeError.refusedURL(
        source: source,
        message: "next page URL is on another origin than \(base.origin); not following it")
    }
  }
}
