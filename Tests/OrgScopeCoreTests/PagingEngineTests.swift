import Testing

@testable import OrgScopeCore

/// The one paging engine, without any I/O: what it asks for next, and every bound.
@Suite struct PagingEngineTests {
  func page(_ records: Int, next: String?, total: Int? = nil) -> Page {
    let list = (0..<records).map { Record(id: "r\($0)", name: "", fields: JSONObject()) }
    return Page(records: list, next: next.map(PageCursor.token), total: total)
  }

  @Test func followsEachCursorUntilTheLastPage() throws {
    var engine = PagingEngine(source: .cloudflare)
    #expect(engine.start() == .fetch(nil))
    #expect(try engine.next(after: page(2, next: "a")) == .fetch(.token("a")))
    #expect(try engine.next(after: page(2, next: "b")) == .fetch(.token("b")))
    #expect(try engine.next(after: page(1, next: nil)) == .end(.lastPage))
    #expect(engine.requests == 3)
    #expect(engine.records == 5)
  }

  @Test func aRepeatedCursorEndsTheListQuietly() throws {
    var engine = PagingEngine(source: .sendgrid)
    _ = engine.start()
    #expect(try engine.next(after: page(1, next: "a")) == .fetch(.token("a")))
    #expect(try engine.next(after: page(1, next: "a")) == .end(.repeatedCursor))
  }

  @Test func recordAndRequestLimitsEndTheList() throws {
    var records = PagingEngine(source: .huawei, limits: .init(maxRecords: 3))
    _ = records.start()
    #expect(try records.next(after: page(2, next: "a")) == .fetch(.token("a")))
    #expect(try records.next(after: page(2, next: "b")) == .end(.maxRecords))
    var requests = PagingEngine(source: .huawei, limits: .init(maxRequests: 2))
    _ = requests.start()
    #expect(try requests.next(after: page(0, next: "a")) == .fetch(.token("a")))
    #expect(try requests.next(after: page(0, next: "b")) == .end(.maxRequests))
    #expect(requests.requests == 2)
  }

  @Test func emptyPagesWithNewCursorsEndWithTheGuardsError() throws {
    var engine = PagingEngine(source: .cloudflare)
    _ = engine.start()
    var steps = 0
    #expect {
      while true {
        steps += 1
        _ = try engine.next(after: page(0, next: "t\(steps)"))
      }
    } throws: { error in
      (error as? OrgScopeError)?.description
        == "Cloudflare: HTTP 200: invalid response: 5 empty pages in a row that each point to another page; stopped after 5 pages"
    }
    #expect(steps == PagingEngine.emptyPageLimit)
  }

  /// The peeking path: the next request is admitted before the page is decoded, and the
  /// guard counts the page once it is.
  @Test func admittingAheadAndCountingAfterAppliesTheSameGuard() throws {
    var engine = PagingEngine(source: .cloudflare)
    _ = engine.start()
    var admitted = 0
    #expect(throws: OrgScopeError.self) {
      while true {
        guard case .fetch = try engine.admit(.token("t\(admitted)")) else { return }
        admitted += 1
        try engine.arrived(records: 0, total: nil)
      }
    }
    #expect(admitted == PagingEngine.emptyPageLimit)
    #expect(try engine.admit(nil) == .end(.lastPage))
  }

  @Test func theDeadlineStopsTheNextRequestWithOneError() throws {
    let start = ContinuousClock.now
    var engine = PagingEngine(source: .huawei, limits: .init(deadline: .seconds(30)))
    _ = engine.start(now: start)
    #expect(
      try engine.next(after: page(1, next: "a"), now: start + .seconds(29)) == .fetch(.token("a")))
    #expect {
      _ = try engine.next(after: page(1, next: "b"), now: start + .seconds(30))
    } throws: { error in
      (error as? OrgScopeError)?.description
        == "Huawei Cloud: network error: the list did not end within 30s; stopped after 2 page requests"
    }
  }

  /// Memory stays flat however long a list: only the recent cursors are remembered, and a
  /// cursor older than them is followed again (the other guards bound such a cycle).
  @Test func theCursorsRememberedAreBounded() throws {
    var engine = PagingEngine(source: .cloudflare)
    _ = engine.start()
    let count = PagingEngine.recentCursorCapacity + 100
    for number in 0..<count {
      #expect(try engine.next(after: page(1, next: "c\(number)")) == .fetch(.token("c\(number)")))
    }
    #expect(engine.remembered == PagingEngine.recentCursorCapacity)
    #expect(try engine.next(after: page(1, next: "c\(count - 1)")) == .end(.repeatedCursor))
    #expect(try engine.next(after: page(1, next: "c0")) == .fetch(.token("c0")))
  }
}
