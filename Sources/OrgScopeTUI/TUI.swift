import CNCursesw
import CursesShim
import Foundation
import OrgScopeCore
import Synchronization

/// How the TUI is started.
public struct TUIOptions: Sendable {
  /// Theme name (`default`, `dark`, a user theme) or a path to a `.toml` file.
  public var themeName: String
  /// Directories searched for `<name>.toml` before the built-in themes, in order.
  public var themeDirectories: [String]
  /// `NO_COLOR` is set: attributes only.
  public var noColor: Bool
  /// Receives one line per notable event (fetches, errors); never credentials.
  public var log: (@Sendable (String) -> Void)?
  /// For the benchmark: quit after the first frame that shows the first tab's data (or its
  /// error, or that it is not configured).
  public var exitAfterFirstFrame: Bool
  /// The directory that `e` writes exports to.
  public var exportDirectory: String
  /// `--ascii`: ASCII drawing, and non-ASCII characters shown as `\u{…}`.
  public var ascii: Bool
  /// Clicks and the wheel (`--no-mouse` turns them off, leaving the terminal's own
  /// selection to the mouse).
  public var mouse: Bool
  /// Shown in the status line when it is idle (`snapshot of 2026-12-02 11:40 UTC`).
  public var title: String?
  /// `--since FILE`: mark what changed since that snapshot.
  public var since: Baseline?
  /// Where the users and their role assignments come from (the users tab, who can by
  /// person); nil: they cannot be had here, and the users tab says so.
  public var people: PeopleLoader?

  public init(
    themeName: String = "default",
    themeDirectories: [String] = TUIOptions.defaultThemeDirectories(),
    noColor: Bool = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false,
    log: (@Sendable (String) -> Void)? = nil, exitAfterFirstFrame: Bool = false,
    exportDirectory: String = FileManager.default.currentDirectoryPath, ascii: Bool = false,
    mouse: Bool = true, title: String? = nil, since: Baseline? = nil, people: PeopleLoader? = nil
  ) {
    self.people = people
    self.title = title
    self.since = since
    self.ascii = ascii
    self.mouse = mouse
    self.themeName = themeName
    self.themeDirectories = themeDirectories
    self.noColor = noColor
    self.log = log
    self.exitAfterFirstFrame = exitAfterFirstFrame
    self.exportDirectory = exportDirectory
  }

  /// `$XDG_CONFIG_HOME/orgscope/themes` (default `~/.config/orgscope/themes`).
  public static func defaultThemeDirectories(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> [String] {
    let config =
      environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
    return [(config as NSString).appendingPathComponent("orgscope/themes")]
  }
}

/// The terminal UI.
public enum TUI {
  /// Runs the TUI until the user quits (or a signal asks to), restoring the terminal on
  /// every way out. Returns the exit code: 0, or 128 + the signal that ended it. Throws a `ThemeError` for a bad theme and an
  /// `OrgScopeError.usage` when there is no usable terminal, before touching the screen.
  public static func run(sources: [SourceSetup], options: TUIOptions) async throws -> Int32 {
    var theme = try Theme.load(named: options.themeName, directories: options.themeDirectories)
    if options.noColor { theme = theme.withoutColor() }
    let chosen = theme
    return try await withCheckedThrowingContinuation { continuation in
      // ncurses blocks in get_wch: it gets its own thread, not one of the async pool's.
      let thread = Thread {
        do {
          let runtime = Runtime(sources: sources, options: options, theme: chosen)
          continuation.resume(returning: try runtime.run())
        } catch {
          continuation.resume(throwing: error)
        }
      }
      thread.name = "orgscope-tui"
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}

/// Set by signal handlers, read by the loop: the only state shared with a signal handler.
private let pendingSignal = Atomic<Int32>(0)
/// The inbox's wake-up pipe (write end), for the signal handlers: a resize or an ending
/// signal wakes the loop at once, whichever thread the signal is delivered to.
private let signalWakeDescriptor = Atomic<Int32>(-1)

/// Writes a byte to the wake-up pipe (`write` is safe in a signal handler).
private func wakeTheLoop() {
  let descriptor = signalWakeDescriptor.load(ordering: .relaxed)
  guard descriptor >= 0 else { return }
  var byte: UInt8 = 2
  _ = write(descriptor, &byte, 1)
}
/// ncurses' own SIGWINCH handler, called first by ours (it marks the resize that the next
/// read returns as KEY_RESIZE). Written before ours is installed, read only by it.
nonisolated(unsafe) private var ncursesResizeHandler: sighandler_t?

/// Messages posted by fetch tasks and timers for the UI loop. Posting also writes a byte to
/// a pipe, so the loop sleeps in one `poll` on the keyboard and this pipe together and
/// wakes when either has something (no polling on a timer).
final class Inbox: Sendable {
  private let messages = Mutex<[Message]>([])
  /// Read and write ends of the wake-up pipe (non-blocking, closed on exec).
  let wakeDescriptor: Int32
  let writeDescriptor: Int32

  init() {
    var ends: [Int32] = [-1, -1]
    if pipe(&ends) == 0 {
      for end in ends {
        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
      }
    } else {
      ends = [-1, -1]
    }
    wakeDescriptor = ends[0]
    writeDescriptor = ends[1]
  }

  deinit {
    if wakeDescriptor >= 0 { close(wakeDescriptor) }
    if writeDescriptor >= 0 { close(writeDescriptor) }
  }

  func post(_ message: Message) {
    messages.withLock { $0.append(message) }
    // A full pipe already holds a wake-up: the lost byte changes nothing.
    var byte: UInt8 = 1
    _ = write(writeDescriptor, &byte, 1)
  }

  func drain() -> [Message] {
    var bytes = [UInt8](repeating: 0, count: 256)
    while read(wakeDescriptor, &bytes, bytes.count) > 0 {}
    return messages.withLock { pending in
      let drained = pending
      pending.removeAll()
      return drained
    }
  }
}

/// The tasks the runtime started and that have not finished, so quitting can cancel them
/// without keeping a handle to every request of a long session.
final class TaskSet: Sendable {
  private struct State {
    var next = 0
    var running: [Int: Task<Void, Never>] = [:]
    var finishedEarly: Set<Int> = []
    /// Tasks that can be cancelled by name (the people load).
    var named: [String: Int] = [:]
  }
  private let state = Mutex(State())

  func spawn(named name: String? = nil, _ body: @escaping @Sendable () async -> Void) {
    let id = state.withLock { state in
      state.next += 1
      if let name { state.named[name] = state.next }
      return state.next
    }
    let task = Task.detached { [self] in
      await body()
      finish(id)
    }
    state.withLock { state in
      if state.finishedEarly.remove(id) == nil { state.running[id] = task }
    }
  }

  private func finish(_ id: Int) {
    state.withLock { state in
      if state.running.removeValue(forKey: id) == nil { state.finishedEarly.insert(id) }
    }
  }

  /// Cancels the last task spawned with `name`, if it is running.
  func cancel(named name: String) {
    let task = state.withLock { state in
      state.named.removeValue(forKey: name).flatMap { state.running[$0] }
    }
    task?.cancel()
  }

  func cancelAll() {
    let tasks = state.withLock { state in
      let tasks = Array(state.running.values)
      state.running.removeAll()
      return tasks
    }
    for task in tasks { task.cancel() }
  }
}

/// The loop: keys and inbox messages go through `App.update`; commands start tasks; a frame
/// is drawn when something changed.
struct Runtime {
  let sources: [SourceSetup]
  /// The live clients, by tab: the state holds only what they are (plain data).
  let clients: [Int: SourceClient]
  let options: TUIOptions
  let theme: Theme
  let inbox = Inbox()
  let tasks = TaskSet()

  init(sources: [SourceSetup], options: TUIOptions, theme: Theme) {
    self.sources = sources
    var clients: [Int: SourceClient] = [:]
    for (index, setup) in sources.enumerated() { clients[index] = setup.client }
    self.clients = clients
    self.options = options
    self.theme = theme
  }

  func run() throws -> Int32 {
    setlocale(LC_ALL, "")
    // Over SSH the locale is often unset or C: names would show as "????". A UTF-8 locale
    // the system has (C.UTF-8 is in every glibc) keeps them readable.
    if orgscope_locale_is_utf8() == 0,
      Self.localeIsUnsetOrC(ProcessInfo.processInfo.environment)
    {
      if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "C.utf8") }
    }
    let unicode = !options.ascii && orgscope_locale_is_utf8() != 0
    // In the background (`orgscope &`): stopped until `fg`, before curses takes the terminal.
    guard Foreground.wait(STDIN_FILENO) else { throw OrgScopeError.usage(Foreground.notForeground) }
    let terminal = try Terminal(useColor: !options.noColor, mouse: options.mouse)
    let previousHandlers = installSignalHandlers()
    defer {
      terminal.close()
      restoreSignalHandlers(previousHandlers)
      tasks.cancelAll()
    }
    let (width, height) = terminal.size
    var state = AppState(
      sources: sources, width: width, height: height, theme: theme, unicode: unicode)
    state.title = options.title
    for index in state.tabs.indices { state.tabs[index].since = options.since }
    perform(App.start(&state), terminal: terminal, state: state)
    var dirty = true
    var paste = PasteReader()
    while !state.quitting {
      let received = pendingSignal.load(ordering: .relaxed)
      if received != 0 { return 128 + received }
      if dirty {
        terminal.draw(View.render(state))
        dirty = false
        if options.exitAfterFirstFrame && showsFirstData(state) { break }
      }
      // Sleep until a key, a message (a page, a timer) or a signal (a resize, an ending
      // signal: their handlers write to the inbox's pipe) arrives. No timer: a signal
      // caught after `pendingSignal` was read above has left its byte in the pipe.
      var waits = [
        pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
        pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
      ]
      _ = poll(&waits, nfds_t(waits.count), -1)
      // Put in the background while running: stop until `fg` rather than spin on reads.
      if !Foreground.isForeground(terminal.inputDescriptor) {
        guard Foreground.wait(terminal.inputDescriptor) else {
          throw OrgScopeError.usage(Foreground.notForeground)
        }
        terminal.resumeAfterStop()
        dirty = true
      }
      var events: [TerminalEvent] = []
      // Key repeat delivers bursts: take everything typed, then draw once.
      while events.count < 256, let next = terminal.read(timeout: 0) {
        events.append(next)
      }
      var messages = paste.take(events).map(message)
      messages += inbox.drain()
      for message in messages {
        let commands = App.update(&state, message)
        dirty = true
        perform(commands, terminal: terminal, state: state)
        if state.quitting { break }
      }
    }
    return 0
  }

  /// The locale that applies to characters is unset, `C` or `POSIX`.
  static func localeIsUnsetOrC(_ environment: [String: String]) -> Bool {
    let value = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first {
      !$0.isEmpty
    }
    guard let value else { return true }
    return value == "C" || value == "POSIX"
  }

  private func message(_ event: TerminalEvent) -> Message {
    switch event {
    case .key(let key): return .key(key)
    case .mouse(let event): return .mouse(event)
    case .resize(let width, let height): return .resize(width: width, height: height)
    // `PasteReader` keeps these.
    case .pasteStart, .pasteEnd: return .key(.paste(""))
    }
  }

  private func showsFirstData(_ state: AppState) -> Bool {
    guard let tab = state.activeTab else { return true }
    guard tab.provider != nil, let listing = tab.listing else { return true }
    return !listing.records.isEmpty || listing.error != nil || listing.exhausted
  }

  private func perform(_ commands: [Command], terminal: Terminal, state: AppState) {
    for command in commands {
      switch command {
      case .fetch(let request):
        guard let client = clients[request.tab] else { continue }
        let inbox = self.inbox
        let log = options.log
        log?(
          "fetch \(request.source.rawValue) listing \(request.generation) page \(describe(request.cursor))"
        )
        tasks.spawn {
          do {
            let page = try await client.fetchPage(query: request.query, cursor: request.cursor)
            log?("\(request.source.rawValue): \(page.records.count) records")
            inbox.post(
              .pageLoaded(
                tab: request.tab, generation: request.generation, cursor: request.cursor,
                page: page))
          } catch {
            let text =
              (error as? OrgScopeError)?.description
              ?? "\(request.source.providerName): \(error)"
            log?("error: \(text)")
            inbox.post(
              .pageFailed(
                tab: request.tab, generation: request.generation, cursor: request.cursor,
                error: text))
          }
        }
      case .debounce(let tab, let token, let milliseconds):
        let inbox = self.inbox
        tasks.spawn {
          try? await Task.sleep(for: .milliseconds(milliseconds))
          inbox.post(.debounceFired(tab: tab, token: token))
        }
      case .copy(let text):
        let environment = ProcessInfo.processInfo.environment
        let name = Effects.copiedName(text)
        let inbox = self.inbox
        if Effects.copiesThroughTmux(environment) {
          tasks.spawn {
            let failure = await Effects.tmuxLoadBuffer(text, environment: environment)
            inbox.post(
              .status(
                failure.map { StatusMessage(level: .error, text: "copy failed: \($0)") }
                  ?? StatusMessage(level: .info, text: "copied \(name) to the tmux buffer")))
          }
        } else {
          let copy = Effects.copyWithOSC52(text)
          if let sequence = copy.sequence { terminal.writeRaw(sequence) }
          inbox.post(.status(copy.status))
        }
      case .expireStatus(let token, let milliseconds):
        let inbox = self.inbox
        tasks.spawn {
          try? await Task.sleep(for: .milliseconds(milliseconds))
          inbox.post(.statusExpired(token: token))
        }
      case .export(let request):
        let inbox = self.inbox
        let directory = options.exportDirectory
        tasks.spawn {
          do {
            let path = try Effects.export(request, directory: directory, date: Date())
            inbox.post(.exported(path: path, count: request.records.count))
          } catch {
            inbox.post(.exportFailed("\(error)"))
          }
        }
      case .whoCan, .roleNotes:
        let inbox = self.inbox
        HeavyWork.start(command, log: options.log) { inbox.post($0) }
      case .loadPeople(let number):
        let inbox = self.inbox
        guard let loader = options.people else {
          inbox.post(.peopleFailed(number: number, error: PeopleState.unavailable))
          continue
        }
        let log = options.log
        log?("people: loading users and their role assignments")
        tasks.spawn(named: "people") {
          do {
            let data = try await loader.load { done, total in
              inbox.post(.peopleProgress(number: number, done: done, total: total))
            }
            log?("people: \(data.directory.people.count) users loaded")
            inbox.post(.peopleLoaded(number: number, data))
          } catch {
            let text =
              (error as? OrgScopeError)?.description ?? "loading role assignments: \(error)"
            log?("error: \(text)")
            inbox.post(.peopleFailed(number: number, error: text))
          }
        }
      case .stopPeople:
        tasks.cancel(named: "people")
      case .quit:
        break
      }
    }
  }

  private func describe(_ cursor: PageCursor?) -> String {
    switch cursor {
    case .none: return "first"
    case .token(let token): return "token \(token)"
    case .url: return "next_page_url"
    }
  }

  private typealias Handlers = [(Int32, sighandler_t?)]

  private func installSignalHandlers() -> Handlers {
    pendingSignal.store(0, ordering: .relaxed)
    // Every signal the loop acts on wakes it through the inbox's pipe: a signal usually goes
    // to another of the process's threads, and the loop's poll is not interrupted (a resize
    // used to wait for the poll's one-second limit).
    signalWakeDescriptor.store(inbox.writeDescriptor, ordering: .relaxed)
    let ending = [SIGTERM, SIGHUP, SIGINT, SIGQUIT].map { number in
      (
        number,
        signal(number) { received in
          pendingSignal.store(received, ordering: .relaxed)
          wakeTheLoop()
        }
      )
    }
    // A resize: ncurses' handler notes it first (the next read returns KEY_RESIZE).
    let previous = signal(SIGWINCH) { received in
      if let ncurses = ncursesResizeHandler { ncurses(received) }
      wakeTheLoop()
    }
    ncursesResizeHandler = Self.isHandler(previous) ? previous : nil
    // Back in the foreground after a stop (`fg`): the loop wakes and redraws.
    let continued = signal(SIGCONT) { _ in wakeTheLoop() }
    return ending + [(SIGWINCH, previous), (SIGCONT, continued)]
  }

  /// Whether `handler` is a function (not SIG_DFL, SIG_IGN or SIG_ERR).
  private static func isHandler(_ handler: sighandler_t?) -> Bool {
    guard let handler else { return false }
    let address = unsafeBitCast(handler, to: Int.self)
    return address != 0 && address != 1 && address != -1
  }

  private func restoreSignalHandlers(_ handlers: Handlers) {
    for (number, handler) in handlers { signal(number, handler) }
    signalWakeDescriptor.store(-1, ordering: .relaxed)
    ncursesResizeHandler = nil
  }
}

/// CPU-heavy work (a "who can" answer, a role's deny notes) runs on a thread of its own,
/// not on the async pool: a long computation (a hostile role, issue 22) never holds a pool
/// thread that fetches, the people load or the way out need (a 2-core machine has two),
/// and the UI loop never waits for it. Each answers with one message.
enum HeavyWork {
  /// Starts `command`'s work and returns at once; `post` gets its answer later. Other
  /// commands are not heavy work: false.
  @discardableResult
  static func start(
    _ command: Command, log: (@Sendable (String) -> Void)? = nil,
    post: @escaping @Sendable (Message) -> Void
  ) -> Bool {
    let work: @Sendable () -> Void
    switch command {
    case .whoCan(let job):
      work = {
        let result = job.run()
        log?("who can \(job.query): answered")
        post(.whoCanAnswered(result))
      }
    case .roleNotes(let role):
      work = { post(.notesComputed(role, RoleAudit.notes(for: role))) }
    default:
      return false
    }
    let thread = Thread(block: work)
    thread.name = "orgscope-work"
    thread.stackSize = 8 << 20
    thread.start()
    return true
  }
}
