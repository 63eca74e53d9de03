import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// `p billing`: a query with no `/` and no `*` is answered as the literal permission it is,
/// and the status line says how to look for the word when only `*` entries reached it.
@Suite struct BareWordQueryTests {
  static let hint =
    #"no permission is written like "billing"; try "*billing*" or "/twilio/billing/*""#

  @Test func aBareWordOnlyStarsReachIsAnsweredAndTheStatusLineSaysHowToAsk() {
    var state = WhoCanTests.typed("billing", width: 120)
    let tab = state.tabs[0]
    // Answered: the Organization Owner's "*" grants the literal permission "billing".
    #expect(tab.audit?.rows.count == 1)
    #expect(tab.record(at: 0)?.name == "Organization Owner")
    #expect(tab.audit?.hint == Self.hint)
    let prompt = View.render(state).lines[23]
    #expect(prompt.contains(Self.hint), "\(prompt)")
    _ = App.update(&state, .key(.enter))
    let status = View.render(state).lines[23]
    #expect(status.contains(Self.hint), "\(status)")
    // At 80 columns the hint still leads the line.
    state.width = 80
    #expect(View.render(state).lines[23].contains(#"no permission is written like "billing""#))
  }

  @Test func aPathOrAStarOrAWrittenMatchSaysNothingMore() {
    for query in ["/twilio/billing/invoices/read", "*billing*"] {
      let state = WhoCanTests.typed(query)
      #expect(state.tabs[0].audit != nil)
      #expect(state.tabs[0].audit?.hint == nil, "\(query)")
    }
  }
}
