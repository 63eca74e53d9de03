import Foundation
import Testing

@testable import OrgScopeCore

/// The one paging engine, without any I/O: what it asks for next, and every bound.
@Suite struct PagingEngineTests {
  /// A page of `records` records never listed before (unless `ids` are given).
  func page(_ records: Int, next: String?, total: Int? = nil, ids: [String]? = nil) -> Page {
    let ids = ids ?? (0..<records).map { _ in UUID().uuidString }
    let list = ids.map { Record(id: $0, name: "", fields: JSONObject()) }
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
        try engine.arrived(Page(records: [], next: .token("t\(admitted)")))
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

  // MARK: Issue 22: endless data

  @Test func theRecordCapEndsAListThatWouldPassItBeforeThePageIsHandedOn() throws {
    var engine = PagingEngine(source: .twilioRoles, limits: .init(recordCap: 5))
    _ = engine.start()
    #expect(try engine.next(after: page(2, next: "a")) == .fetch(.token("a")))
    #expect {
      _ = try engine.next(after: page(4, next: "b"))
    } throws: { error in
      (error as? OrgScopeError)?.description
        == "Twilio: HTTP 200: invalid response: more than 5 records; stopped at the record cap (raise it with --max N or max_records in the config file)"
    }
  }

  @Test func aListOfExactlyTheCapEndsQuietlyAndOneThatWouldGoOnDoesNot() throws {
    var exact = PagingEngine(source: .cloudflare, limits: .init(recordCap: 4))
    _ = exact.start()
    #expect(try exact.next(after: page(2, next: "a")) == .fetch(.token("a")))
    #expect(try exact.next(after: page(2, next: nil)) == .end(.lastPage))
    var more = PagingEngine(source: .cloudflare, limits: .init(recordCap: 4))
    _ = more.start()
    #expect(try more.next(after: page(2, next: "a")) == .fetch(.token("a")))
    #expect(throws: OrgScopeError.self) { try more.next(after: page(2, next: "b")) }
  }

  @Test func maxRecordsUnderTheCapEndsQuietly() throws {
    var engine = PagingEngine(source: .huawei, limits: .init(maxRecords: 3, recordCap: 3))
    _ = engine.start()
    #expect(try engine.next(after: page(5, next: "a")) == .end(.maxRecords))
  }

  @Test func aPageOfOnlyRecordsListedBeforeThatGoesOnIsAnError() throws {
    var engine = PagingEngine(source: .sendgrid)
    _ = engine.start()
    #expect(try engine.next(after: page(2, next: "a", ids: ["x", "y"])) == .fetch(.token("a")))
    // One new record among old ones is not a loop.
    #expect(try engine.next(after: page(2, next: "b", ids: ["y", "z"])) == .fetch(.token("b")))
    #expect {
      _ = try engine.next(after: page(2, next: "c", ids: ["z", "x"]))
    } throws: { error in
      (error as? OrgScopeError)?.description
        == "SendGrid: HTTP 200: invalid response: page 3 repeats only records already listed and points to another page; stopped"
    }
  }

  /// A repeated cursor ends a list quietly, even when its page repeats records (SendGrid's
  /// last page may be the one before it again).
  @Test func aRepeatedCursorStillEndsQuietlyOnARepeatedPage() throws {
    var engine = PagingEngine(source: .sendgrid)
    _ = engine.start()
    #expect(try engine.next(after: page(1, next: "a", ids: ["x"])) == .fetch(.token("a")))
    #expect(try engine.next(after: page(1, next: "a", ids: ["x"])) == .end(.repeatedCursor))
  }

  @Test func thePeekingPathAppliesTheCapAndTheRepeatCheck() throws {
    var capped = PagingEngine(source: .cloudflare, limits: .init(recordCap: 3))
    _ = capped.start()
    #expect(try capped.admit(.token("a")) == .fetch(.token("a")))
    #expect(throws: OrgScopeError.self) { try capped.arrived(page(3, next: "a")) }
    var last = PagingEngine(source: .cloudflare, limits: .init(recordCap: 3))
    _ = last.start()
    #expect(try last.admit(nil) == .end(.lastPage))
    try last.arrived(page(3, next: nil), admitted: false)
    var repeating = PagingEngine(source: .cloudflare)
    _ = repeating.start()
    _ = try repeating.admit(.token("a"))
    try repeating.arrived(page(1, next: "a", ids: ["x"]))
    _ = try repeating.admit(.token("b"))
    #expect(throws: OrgScopeError.self) { try repeating.arrived(page(1, next: "b", ids: ["x"])) }
  }
}
