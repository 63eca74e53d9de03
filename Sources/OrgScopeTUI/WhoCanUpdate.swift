import OrgScopeCore

/// "Who can" (`a` on a source with role policies): the audit over the loaded roles.
extension App {
  static func openWhoCan(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard let tab = state.activeTab, tab.provider != nil else { return [] }
    // By person on the users tab: the users and their assignments are loaded first.
    let people = isPeopleTab(tab)
    guard tab.capabilities.policies || people else {
      state.status = StatusMessage(
        level: .warn,
        text:
          "p asks who can do something: it works on the roles tab, and by person on the users tab")
      return []
    }
    if state.tabs[index].whoCan == nil { state.tabs[index].whoCan = WhoCan() }
    state.focus = .whoCan
    return people ? loadPeople(&state, again: true) : []
  }

  static func whoCanKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), var who = state.tabs[index].whoCan else {
      state.focus = .list
      return []
    }
    switch promptKey(state, &who.field, key) {
    case .action(.accept):
      state.focus = .list
      return who.text != who.query ? applyWhoCan(&state, index) : []
    case .action(.cancel):
      state.focus = .list
      clearWhoCan(&state, index)
      // By person, Esc also stops loading the assignments.
      return isPeopleTab(state.tabs[index]) ? stopPeople(&state) : []
    case .action(.down): return move(&state, 1)
    case .action(.up): return move(&state, -1)
    case .action(.pageDown): return move(&state, Layout(state).listRows)
    case .action(.pageUp): return move(&state, -Layout(state).listRows)
    case .action, .edited(.ignored): return []
    case .edited(.moved):
      state.tabs[index].whoCan = who
      return []
    case .edited(.changed): break
    }
    state.tabs[index].debounceToken += 1
    who.token = state.tabs[index].debounceToken
    state.tabs[index].whoCan = who
    return [.debounce(tab: index, token: who.token, milliseconds: searchDebounceMilliseconds)]
  }

  static func clearWhoCan(_ state: inout AppState, _ index: Int) {
    state.tabs[index].whoCan = nil
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
  }

  /// Takes the typed text as the query: a pattern is answered once every role is loaded;
  /// a malformed one says why.
  static func applyWhoCan(_ state: inout AppState, _ index: Int) -> [Command] {
    guard var who = state.tabs[index].whoCan else { return [] }
    who.query = who.text
    who.answer = nil
    who.error = nil
    if !who.query.isEmpty {
      do {
        _ = try Glob(query: who.query)
      } catch {
        who.error = error.description
      }
    }
    state.tabs[index].whoCan = who
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return answerWhoCan(&state, index)
  }

  /// Answers the pending query over every role of the listing, loading the rest first. The
  /// answer is computed by a command (off the UI thread) and comes back as a message; while
  /// one is being computed, the next waits for it (and for the index it brings back).
  static func answerWhoCan(_ state: inout AppState, _ index: Int) -> [Command] {
    let tab = state.tabs[index]
    guard tab.whoCanWaits, var who = tab.whoCan, let listing = tab.listing,
      (try? Glob(query: who.query)) != nil
    else { return ensureLoading(&state, index) }
    guard listing.exhausted, listing.error == nil else { return ensureLoading(&state, index) }
    guard who.computing == nil else { return [] }
    // By person: once the users' assignments are in.
    let people = isPeopleTab(tab) ? state.people.data : nil
    if isPeopleTab(tab), people == nil { return loadPeople(&state, again: false) }
    state.tabs[index].whoCanJobs += 1
    let number = state.tabs[index].whoCanJobs
    let reusable = who.index.flatMap {
      $0.generation == listing.generation && $0.rows == tab.rows ? $0 : nil
    }
    who.index = nil  // it travels with the job and comes back with the answer
    who.computing = number
    state.tabs[index].whoCan = who
    return [
      .whoCan(
        WhoCanJob(
          tab: index, number: number, generation: listing.generation, query: who.query,
          source: tab.source, records: listing.records, rows: tab.rows, index: reusable,
          people: people))
    ]
  }

  /// A job's answer: taken when it is for the query and rows shown now; otherwise dropped
  /// (its index kept), and the query shown now is asked.
  static func whoCanAnswered(_ state: inout AppState, _ result: WhoCanResult) -> [Command] {
    guard state.tabs.indices.contains(result.tab), var who = state.tabs[result.tab].whoCan,
      who.computing == result.number
    else { return [] }
    let tab = state.tabs[result.tab]
    who.computing = nil
    if result.generation == tab.listing?.generation { who.index = result.index }
    guard let answer = result.answer, result.query == who.query,
      result.generation == tab.listing?.generation, result.rows == tab.rows
    else {
      state.tabs[result.tab].whoCan = who
      return answerWhoCan(&state, result.tab)
    }
    who.answer = answer
    state.tabs[result.tab].whoCan = who
    state.tabs[result.tab].cursor = 0
    state.tabs[result.tab].top = 0
    state.tabs[result.tab].detailScroll = 0
    return []
  }
}
