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
      return try provider.decodePage(response.body, query: query, cursor: cursor)
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

  /// Every page of `query`, in order, until the provider says there is no next page,
  /// a cursor repeats (a server bug that would loop forever), or `maxRecords` are read.
  ///
  /// Pages are sequential on the wire, but when the provider can read the next cursor
  /// from the raw body (`Provider.peekNext`), the next request leaves first, and this page
  /// is decoded and handed on while it travels: decoding, and whatever the consumer does
  /// with the page, overlap the round trip instead of adding to it (or delaying the next
  /// request on a busy 2-core machine). The decode must agree with the peek. A page that
  /// arrived whole is yielded even when the request after it fails.
  ///
  /// At most `pagesAhead` pages wait for the consumer: a slow one (`list | slow-reader`)
  /// holds the paging back instead of piling pages up in memory.
  ///
  /// A server that never ends a list is stopped with one error: `emptyPageLimit` empty pages
  /// in a row that still point to a next page, or many more pages than the provider's own
  /// total allows (`PagingGuard`). `maxRequests` bounds the page requests themselves (for
  /// `list --max`), so a limit holds even when pages come back empty.
  public func pages(query: Query, maxRecords: Int? = nil, maxRequests: Int? = nil) -> PageStream {
    if let offline {
      return offlinePages(offline, query: query, maxRecords: maxRecords, maxRequests: maxRequests)
    }
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
          var cursor: PageCursor?
          var seen = RecentCursors()
          var count = 0
          var pageGuard = PagingGuard(source: source)
          var response = try await fetchBody(query: query, cursor: nil)
          var requests = 1
          while !Task.isCancelled {
            let asked = cursor
            let mayAskMore = maxRequests.map { requests < $0 } ?? true
            // With a record limit the page count matters more than overlap: no peeking.
            if maxRecords == nil, mayAskMore,
              let peeked = provider.peekNext(response.body, query: query, cursor: asked)
            {
              guard let next = peeked.cursor, seen.insert(next).inserted else {
                try await deliver(try checked(response, asked, against: peeked))
                break
              }
              // This task sends the next request at once; a child decodes and yields this
              // page once it has gone out, so that the two do not compete for a core.
              let current = response
              let gone = Gate()
              async let decoded = { () async throws -> (count: Int, total: Int?) in
                await gone.wait()
                let page = try checked(current, asked, against: peeked)
                try await deliver(page)
                return (page.records.count, page.total)
              }()
              let following: Result<HTTPResponseData, Error>
              do {
                following = .success(
                  try await fetchBody(query: query, cursor: next, sent: { gone.open() }))
              } catch {
                following = .failure(error)
              }
              gone.open()
              let delivered = try await decoded
              requests += 1
              try pageGuard.check(records: delivered.count, total: delivered.total)
              cursor = next
              response = try following.get()
            } else {
              let page = try decode(response, query: query, cursor: asked)
              count += page.records.count
              try await deliver(page)
              if let maxRecords, count >= maxRecords { break }
              guard let next = page.next, seen.insert(next).inserted else { break }
              try pageGuard.check(records: page.records.count, total: page.total)
              if let maxRequests, requests >= maxRequests { break }
              cursor = next
              response = try await fetchBody(query: query, cursor: next)
              requests += 1
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
  public static let emptyPageLimit = 5

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

/// The parts of an absolute URL that the origin rule needs.
public struct URLParts: Sendable, Hashable {
  public let scheme: String
  public let host: String
  public let port: Int?
  /// Path and query, as sent (starts with `/`).
  public let pathAndQuery: String

  public init?(_ text: String) {
    guard let schemeEnd = text.range(of: "://") else { return nil }
    let scheme = text[..<schemeEnd.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { return nil }
    let rest = text[schemeEnd.upperBound...]
    let delimiters: Set<Character> = ["/", "?", "#"]
    let authorityEnd = rest.firstIndex(where: { delimiters.contains($0) }) ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    if authority.contains("@") { return nil }  // userinfo in a URL is never ours
    var port: Int?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      let after = authority[authority.index(after: close)...]
      if after.hasPrefix(":") {
        guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
        port = p
      } else if !after.isEmpty {
        return nil
      }
      authority = authority[...close]
    } else if let colon = authority.lastIndex(of: ":") {
      guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
        return nil
      }
      port = p
      authority = authority[..<colon]
    }
    guard !authority.isEmpty else { return nil }
    self.scheme = scheme
    self.host = authority.lowercased()
    self.port = port
    let path = rest[authorityEnd...]
    self.pathAndQuery = path.isEmpty || path.hasPrefix("?") ? "/" + path : String(path)
  }

  public var origin: String { BaseURL.origin(scheme: scheme, host: host, port: port) }

  /// Loopback hosts, where plain http is allowed (the sandbox, tests).
  public var isLoopback: Bool { ProxySettings.isLoopback(host) }
}

extension BaseURL {
  /// Parses a configured base URL. Plain `http://` is refused off loopback.
  public static func parse(_ text: String, source: SourceID) throws -> BaseURL {
    guard let parts = URLParts(text), !parts.pathAndQuery.contains("?") else {
      throw OrgScopeError.configuration("\(source.providerName): invalid base URL \"\(text)\"")
    }
    if parts.scheme == "http" && !parts.isLoopback {
      throw OrgScopeError.configuration(
        "\(source.providerName): plain http base URL \(parts.origin) refused; use https (http only on loopback)"
      )
    }
    var prefix = parts.pathAndQuery
    while prefix.hasSuffix("/") { prefix.removeLast() }
    return BaseURL(scheme: parts.scheme, host: parts.host, port: parts.port, pathPrefix: prefix)
  }
}

/// The pages of `SourceClient.pages`, in order. Taking a page makes room for another.
public struct PageStream: AsyncSequence, Sendable {
  public typealias Element = Page
  let stream: AsyncThrowingStream<Page, Error>
  let credit: Credit

  public struct AsyncIterator: AsyncIteratorProtocol {
    var base: AsyncThrowingStream<Page, Error>.AsyncIterator
    let credit: Credit

    public mutating func next() async throws -> Page? {
      try await next(isolation: nil)
    }

    /// Stays on the caller's actor (as the stream's own iterator does): the `list` loop
    /// runs on the main actor and would otherwise hop off and back for every page.
    public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Page? {
      let page = try await base.next(isolation: actor)
      if page != nil { credit.give() }
      return page
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: stream.makeAsyncIterator(), credit: credit)
  }
}

/// A counting semaphore for tasks: `take()` waits, cancellably, until one of the credits
/// is free; `give()` frees one.
final class Credit: @unchecked Sendable {
  private let lock = NSLock()
  private var available: Int
  private var waiters: [(id: Int, continuation: CheckedContinuation<Void, Error>)] = []
  private var lastID = 0

  init(_ count: Int) { available = count }

  func take() async throws {
    // A free credit is taken without suspending (the usual case: the consumer keeps up).
    let id: Int? = lock.withLock {
      if available > 0 {
        available -= 1
        return nil
      }
      lastID += 1
      return lastID
    }
    guard let id else { return }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, Error>) in
        // Under the lock: a cancellation either finds this waiter or is seen here.
        let ready: Result<Bool, Error> = lock.withLock {
          if Task.isCancelled { return .failure(CancellationError()) }
          if available > 0 {
            available -= 1
            return .success(true)
          }
          waiters.append((id, continuation))
          return .success(false)
        }
        switch ready {
        case .success(true): continuation.resume()
        case .success(false): break
        case .failure(let error): continuation.resume(throwing: error)
        }
      }
    } onCancel: {
      let waiter = lock.withLock { () -> CheckedContinuation<Void, Error>? in
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  func give() {
    let waiter = lock.withLock { () -> CheckedContinuation<Void, Error>? in
      if waiters.isEmpty {
        available += 1
        return nil
      }
      return waiters.removeFirst().continuation
    }
    waiter?.resume()
  }
}

/// A one-shot signal: `wait()` returns once `open()` has been called, before or after.
final class Gate: @unchecked Sendable {
  private let lock = NSLock()
  private var isOpen = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func open() {
    let waiting = lock.withLock {
      isOpen = true
      defer { waiters = [] }
      return waiters
    }
    for waiter in waiting { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { continuation in
      let ready = lock.withLock {
        if !isOpen { waiters.append(continuation) }
        return isOpen
      }
      if ready { continuation.resume() }
    }
  }
}
