import OrgScopeCore

/// "Who can" (`a` on a source with role policies): the audit over the loaded roles.
extension App {
  static func openWhoCan(_ state: inout AppState) -> [Command] {
    let index = state.active
    guard let tab = state.activeTab, tab.provider != nil else { return [] }
    guard tab.capabilities.policies else {
      state.status = StatusMessage(
        level: .warn, text: "p asks who can do something: it works on the roles tab")
      return []
    }
    if state.tabs[index].whoCan == nil { state.tabs[index].whoCan = WhoCan() }
    state.focus = .whoCan
    return []
  }

  static func whoCanKey(_ state: inout AppState, _ key: Key) -> [Command] {
    let index = state.active
    guard state.tabs.indices.contains(index), var who = state.tabs[index].whoCan else {
      state.focus = .list
      return []
    }
    switch key {
    case .enter:
      state.focus = .list
      return who.text != who.query ? applyWhoCan(&state, index) : []
    case .escape:
      state.focus = .list
      clearWhoCan(&state, index)
      return []
    case .backspace, .ctrl("h"):
      guard !who.text.isEmpty else { return [] }
      who.text.removeLast()
    case .ctrl("u"):
      who.text = ""
    case .down: return move(&state, 1)
    case .up: return move(&state, -1)
    case .pageDown: return move(&state, Layout(state).listRows)
    case .pageUp: return move(&state, -Layout(state).listRows)
    case .character(let character):
      guard character.unicodeScalars.allSatisfy(Sanitizer.keeps) else { return [] }
      who.text.append(character)
    default:
      return []
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

  /// Answers the pending query over every role of the listing, loading the rest first.
  static func answerWhoCan(_ state: inout AppState, _ index: Int) -> [Command] {
    let tab = state.tabs[index]
    guard tab.whoCanWaits, var who = tab.whoCan, let listing = tab.listing,
      let query = try? Glob(query: who.query)
    else { return ensureLoading(&state, index) }
    guard listing.exhausted, listing.error == nil else { return ensureLoading(&state, index) }
    let candidates = tab.rows ?? Array(listing.records.indices)
    if who.index == nil || who.indexGeneration != listing.generation
      || who.indexCount != candidates.count
    {
      var policies: [RolePolicy] = []
      who.positions = [:]
      for position in candidates {
        guard let policy = tab.provider?.policy(of: listing.records[position]) else { continue }
        policies.append(policy)
        who.positions[policy.id] = position
      }
      who.index = PolicyIndex(policies)
      who.indexGeneration = listing.generation
      who.indexCount = candidates.count
    }
    var policyIndex = who.index ?? PolicyIndex([])
    who.index = nil  // so the index is not copied while it learns
    let result = RoleAudit.grants(query, in: &policyIndex)
    who.index = policyIndex
    func row(_ grant: RoleAudit.RoleGrant) -> WhoCan.Row? {
      who.positions[grant.role.id].map {
        WhoCan.Row(record: $0, coverage: grant.coverage, allow: grant.allow, deny: grant.deny)
      }
    }
    who.answer = WhoCan.Answer(
      query: who.query, generation: listing.generation,
      rows: result.granted.compactMap(row) + result.overridden.compactMap(row),
      summary: result.summary)
    state.tabs[index].whoCan = who
    state.tabs[index].cursor = 0
    state.tabs[index].top = 0
    state.tabs[index].detailScroll = 0
    return []
  }
}
