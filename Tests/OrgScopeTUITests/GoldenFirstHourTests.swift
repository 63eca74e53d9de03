import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// The first hour's screens (issue 13), each at 80×24 and 60×20: honest counts while a
/// server search runs and once it answered, the end reached, the where prompt, a sort, the
/// raw view.
extension GoldenScreenTests {
  static let firstHourSizes = [(80, 24), (60, 20)]

  /// 230 Cloudflare accounts in pages of 50, the first one loaded.
  func firstHourState(width: Int, height: Int) -> AppState {
    Fixtures.loaded(
      [Fixtures.cloudflare], width: width, height: height, pages: FirstHourTests.firstPageOnly)
  }

  func typed(_ state: inout AppState, _ text: String) -> [Command] {
    var last: [Command] = []
    for character in text { last = App.update(&state, .key(.character(character))) }
    return last
  }

  /// `/acme` typed; the token of the debounce timer that sends it to the server.
  func searchTyped(_ state: inout AppState) -> Int? {
    _ = App.update(&state, .key(.character("/")))
    guard case .debounce(_, let token, _)? = typed(&state, "acme").first else {
      Issue.record("typing waits for the debounce")
      return nil
    }
    return token
  }

  @Test func aServerSearchInFlightSaysSearching() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      guard let token = searchTyped(&state) else { return }
      // The request is sent and not answered yet.
      _ = App.update(&state, .debounceFired(tab: 0, token: token))
      try check(state, "search-inflight-\(width)x\(height)")
    }
  }

  @Test func aServerSearchAnsweredSaysWhatIsLoaded() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      guard let token = searchTyped(&state) else { return }
      Fixtures.send(
        &state, .debounceFired(tab: 0, token: token), pages: FirstHourTests.firstPageOnly)
      _ = App.update(&state, .key(.enter))
      try check(state, "search-counts-\(width)x\(height)")
    }
  }

  @Test func theEndReached() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      Fixtures.send(&state, .key(.character("G")), pages: FirstHourTests.pages)
      FirstHourTests.answerPending(&state)
      #expect(state.tabs[0].cursor == 229)
      _ = App.update(&state, .statusExpired(token: state.statusToken))
      try check(state, "end-\(width)x\(height)")
    }
  }

  @Test func theWherePrompt() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      _ = App.update(&state, .key(.character("w")))
      _ = typed(&state, "settings.enforce_twofactor=true")
      Fixtures.send(&state, .key(.enter), pages: FirstHourTests.pages)
      _ = App.update(&state, .key(.character("w")))
      _ = typed(&state, " name~")
      try check(state, "where-\(width)x\(height)")
    }
  }

  @Test func aLocalSort() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      for _ in 0..<4 {
        Fixtures.send(&state, .key(.character("s")), pages: FirstHourTests.firstPageOnly)
      }
      Fixtures.send(&state, .key(.character("S")), pages: FirstHourTests.firstPageOnly)
      _ = App.update(&state, .key(.down))
      try check(state, "sort-\(width)x\(height)")
    }
  }

  @Test func theRawView() throws {
    for (width, height) in Self.firstHourSizes {
      var state = firstHourState(width: width, height: height)
      _ = App.update(&state, .key(.down))
      _ = App.update(&state, .key(.character("v")))
      try check(state, "raw-\(width)x\(height)")
    }
  }
}
