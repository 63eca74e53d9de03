import Foundation
import HTTPTypes
import Testing

@testable import OrgScopeCore

/// Issue 15, finding 4: a server that would page forever.
@Suite struct HardeningPagingTests {
  // MARK: 3. Paging guards

  /// The trial: a new cursor on every (empty) page was paged 600 times a second, forever.
  @Test(.timeLimit(.minutes(10)))
  func emptyPagesWithANewCursorEachTimeEndWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok, #"{"success":true,"result":[],"result_info":{"next_page_token":"t\#(hit)"}}"#)
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        var pages = 0
        do {
          for try await _ in client.pages(query: Query()) { pages += 1 }
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("empty pages in a row"), "\(error.description)")
          #expect(error.exitCode == 1)
        }
        #expect(hits.value <= SourceClient.emptyPageLimit + 2)
        #expect(pages <= SourceClient.emptyPageLimit + 1)
      })
  }

  @Test(.timeLimit(.minutes(10)))
  func farMorePagesThanTheReportedTotalEndWithOneError() async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok,
          #"{"success":true,"result":[{"id":"a\#(hit)","name":"n"}],"result_info":{"next_page_token":"t\#(hit)","total_size":3}}"#
        )
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        do {
          for try await _ in client.pages(query: Query()) {}
          Issue.record("the list ended without an error")
        } catch let error as OrgScopeError {
          #expect(error.description.contains("pages for the 3 records"), "\(error.description)")
        }
        // 3 records of 1 per page: at most 2 × 3 + 10 pages, and one request ahead.
        #expect(hits.value <= 2 * 3 + 10 + 2)
      })
  }

  @Test(.timeLimit(.minutes(10)), arguments: [1, 3, 7])
  func maxRequestsBoundsTheRequestsEvenWhenPagesKeepComing(limit: Int) async throws {
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok,
          #"{"success":true,"result":[{"id":"a\#(hit)","name":"n"}],"result_info":{"next_page_token":"t\#(hit)"}}"#
        )
      },
      test: { base, transport, hits in
        let client = try oneSource(.cloudflare, base: base, transport: transport)
        var records = 0
        for try await page in client.pages(query: Query(), maxRequests: limit) {
          records += page.records.count
        }
        #expect(hits.value == limit)
        #expect(records == limit)
      })
  }
}

/// Issue 20: the offline reader (snapshots) pages through the same engine, guards included.
@Suite struct OfflinePagingTests {
  /// Empty pages with ever-new cursors; past `cap` calls it throws instead of hanging.
  struct EndlessEmptyPages: PageSource {
    let cap: Int
    let calls = Counter()
    func page(query: Query, cursor: PageCursor?) async throws -> Page {
      let call = calls.increment()
      guard call <= cap else {
        throw OrgScopeError.network(source: .cloudflare, message: "still paging after \(cap)")
      }
      return Page(records: [], next: .token("t\(call)"))
    }
  }

  @Test(.timeLimit(.minutes(10)))
  func anEndlessOfflineSourceEndsWithTheSameErrorAsALiveOne() async throws {
    let pages = EndlessEmptyPages(cap: 1000)
    let client = SourceClient.offline(
      provider: CloudflareProvider(organizationID: ""), pages: pages)
    do {
      for try await _ in client.pages(query: Query()) {}
      Issue.record("the list ended without an error")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("empty pages in a row"), "\(error.description)")
      #expect(error.exitCode == 1)
    }
    #expect(pages.calls.value <= SourceClient.emptyPageLimit + 1)
  }
}
