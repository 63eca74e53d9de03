import OrgScopeCore

/// The pure heart of the UI: `update` turns a message into a new state and the commands to
/// run. It does no I/O and reads no clock, so tests drive it with plain messages.
public enum App {
  /// Debounce for server-side search, so a burst of keystrokes sends one request.
  public static let searchDebounceMilliseconds = 200

  /// The commands to run at start: the first tab is shown and loads its first page.
  public static func start(_ state: inout AppState) -> [Command] {
    showTab(&state, state.active)
  }

  /// How long a status message stays.
  public static let statusMilliseconds = 4000

  /// Applies `message` to `state` and returns the commands it asks for. A new status
  /// message comes with the timer that fades it.
  public static func update(_ state: inout AppState, _ message: Message) -> [Command] {
    let token = state.statusToken
    var commands = handle(&state, message)
    // The role shown now has its notes computed, off the UI thread, once.
    commands += requestNotes(&state)
    if state.statusToken != token, state.status != nil {
      commands.append(.expireStatus(token: state.statusToken, milliseconds: statusMilliseconds))
    }
    return commands
  }

  private static func handle(_ state: inout AppState, _ message: Message) -> [Command] {
    switch message {
    case .key(let key):
      return handleKey(&state, key)
    case .mouse(let event):
      return mouse(&state, event)
    case .resize(let width, let height):
      state.width = max(1, width)
      state.height = max(1, height)
      for index in state.tabs.indices { scrollIntoView(&state, index) }
      return ensureLoading(&state, state.active)
    case .pageLoaded(let tab, let generation, let cursor, let page):
      let commands = pageLoaded(
        &state, tab: tab, generation: generation, cursor: cursor, page: page)
      noteChanges(&state, tab)
      return commands
    case .pageFailed(let tab, let generation, let cursor, let error):
      guard state.tabs.indices.contains(tab),
        let index = state.tabs[tab].listings.firstIndex(where: { $0.generation == generation }),
        state.tabs[tab].listings[index].inFlight == .some(cursor)
      else { return [] }
      state.tabs[tab].listings[index].inFlight = nil
      state.tabs[tab].listings[index].error = error
      state.tabs[tab].loadingToEnd = nil
      state.tabs[tab].pendingSelection = nil
      return []
    case .debounceFired(let tab, let token):
      guard state.tabs.indices.contains(tab) else { return [] }
      if let who = state.tabs[tab].whoCan, who.token == token, who.text != who.query {
        return applyWhoCan(&state, tab)
      }
      guard state.tabs[tab].debounceToken == token else { return [] }
      var query = state.tabs[tab].query
      query.search = state.tabs[tab].searchText
      return applyQuery(&state, tab, query)
    case .whoCanAnswered(let result):
      return whoCanAnswered(&state, result)
    case .peopleProgress(let number, let done, let total):
      peopleProgress(&state, number: number, done: done, total: total)
      return []
    case .peopleLoaded(let number, let data):
      return peopleLoaded(&state, number: number, data)
    case .peopleFailed(let number, let error):
      peopleFailed(&state, number: number, error: error)
      return []
    case .notesComputed(let role, let notes):
      notesComputed(&state, role, notes)
      return []
    case .exported(let path, let count):
      state.status = StatusMessage(
        level: .info, text: "exported \(count.counting("row")) to \(path)")
      return []
    case .exportFailed(let text):
      state.status = StatusMessage(level: .error, text: "export failed: \(text)")
      return []
    case .status(let status):
      state.status = status
      return []
    case .statusExpired(let token):
      if token == state.statusToken { state.status = nil }
      return []
    }
  }
}
