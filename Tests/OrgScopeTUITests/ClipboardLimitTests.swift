import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// Issue 22, finding 6: a 20 MB record went to the terminal as 26.7 MB of OSC 52, and the
/// UI waited 8.8 s on it.
@Suite struct ClipboardLimitTests {
  @Test func aRecordTooLargeForOSC52IsNotWrittenAndTheStatusSaysSo() {
    let large = "{" + String(repeating: "x", count: Effects.osc52MaxBytes) + "}"
    #expect(Effects.osc52(large, tmux: false) == nil)
    let copy = Effects.copyWithOSC52(large)
    #expect(copy.sequence == nil)
    #expect(copy.status.level == .error)
    #expect(copy.status.text.contains("too large to copy with OSC 52"))
  }

  /// Issue 23: outside tmux (or under sudo, where `$TMUX` is unset) nothing tells whether the
  /// terminal took the OSC 52 sequence: the status says what was done, not "copied".
  @Test func outsideTmuxTheStatusSaysTheSequenceWasSentNotThatItWasCopied() {
    let copy = Effects.copyWithOSC52("AC123")
    #expect(copy.sequence == "\u{1B}]52;c;QUMxMjM=\u{07}")
    #expect(copy.status.text == "sent AC123 to the terminal as OSC 52; your terminal may ignore it")
    #expect(!copy.status.text.contains("copied"))
  }
}
