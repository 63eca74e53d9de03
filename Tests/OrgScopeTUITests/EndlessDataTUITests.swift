import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 22, finding 3: the TUI's `p` held 3.19 GB after 30 s of pages of fresh roles. A
/// listing takes the client's record cap, and a page that would pass it is not kept.
@Suite struct EndlessDataTUITests {
  @Test func aListingStopsAtTheClientsRecordCapWithTheCLIsLine() throws {
    var client = Fixtures.client(TwilioRolesProvider())
    client.recordCap = 25
    var state = AppState(sources: [.ready(client)])
    let go = App.start(&state) + App.update(&state, .key(.character("G")))
    var served = 0
    let requests = Fixtures.answer(&state, go) { _ in
      served += 1
      let roles = (0..<10).map { Fixtures.role(served * 10 + $0) }
      return Page(records: roles, next: .token("t\(served)"))
    }
    let listing = try #require(state.tabs[0].listing)
    #expect(requests == 3, "\(requests) requests")
    #expect(listing.records.count == 20)
    #expect(listing.error?.contains("more than 25 records; stopped at the record cap") == true)
  }

  @Test func aPageThatOnlyRepeatsRecordsIsNotKept() throws {
    var state = AppState(sources: [Fixtures.roles])
    let go = App.start(&state) + App.update(&state, .key(.character("G")))
    let roles = (0..<10).map(Fixtures.role)
    var served = 0
    let requests = Fixtures.answer(&state, go) { _ in
      served += 1
      return Page(records: roles, next: .token("t\(served)"))
    }
    let listing = try #require(state.tabs[0].listing)
    #expect(requests == 2)
    #expect(listing.records.count == 10)
    #expect(listing.error?.contains("repeats only records already listed") == true)
  }
}
