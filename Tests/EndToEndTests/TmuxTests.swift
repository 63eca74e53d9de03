import Foundation
import OrgScopeCore
import Testing

/// A real terminal: tmux runs the built binary; the tests type with `send-keys` and read the
/// screen with `capture-pane`.
final class TmuxSession {
  let socket: String
  let name = "orgscope"

  /// `keepTmux`: the program sees the pane's `TMUX` (so `y` copies through tmux).
  init(
    command: String, width: Int = 80, height: Int = 24, environment: [String: String],
    keepTmux: Bool = false, directory: String? = nil
  ) throws {
    socket = "orgscope-test-\(UUID().uuidString.prefix(8))"
    let exports =
      (keepTmux ? "TMUX=\"$TMUX\" " : "")
      + environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
    let cd = directory.map { "cd \(Self.quote($0)) && " } ?? ""
    let script = "\(cd)env -i \(exports) \(command); echo \"EXITED:$?\"; sleep 60"
    try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), script])
  }

  static func quote(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Runs a tmux command and returns what it printed. Not through Foundation's `Process`:
  /// it learns of a child's exit through a descriptor that the tmux server (forked by
  /// `new-session`) inherits and keeps open, so it would wait forever.
  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let outputPath = NSTemporaryDirectory() + "orgscope-tmux-out-" + UUID().uuidString
    defer { unlink(outputPath) }
    let argv = ["/usr/bin/tmux", "-L", socket, "-f", "/dev/null"] + arguments
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // Nothing else is inherited: the tmux server forked by `new-session` lives for the whole
    // test, and a socket it inherited (NIO does not mark sockets close-on-exec) would stay
    // open, so another test's server that closes a connection would never be seen closing.
    try closeOtherDescriptors(&actions)
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
  }

  private typealias AddCloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

  /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because
  /// the Glibc module does not declare it.
  private func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
    guard
      let symbol = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return }
    let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
    let result = addCloseFrom(&actions, 3)
    guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
  }

  func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

  func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

  func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

  func resize(width: Int, height: Int) throws {
    try tmux(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
  }

  /// Waits (bounded) until the screen satisfies `condition`; returns the last screen.
  @discardableResult
  func waitFor(_ what: String, timeout: TimeInterval = 20, _ condition: (String) -> Bool)
    async throws -> String
  {
    let deadline = Date().addingTimeInterval(timeout)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if condition(last) { return last }
      // A sleep that gives the thread back: the test process's other servers need it.
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("timed out waiting for \(what); screen was:\n\(last)")
    return last
  }

  func kill() { _ = try? tmux(["kill-server"]) }
}

@Suite(.serialized) struct TmuxTests {
  static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

  func demo(
    width: Int = 80, height: Int = 24, extra: String = "", keepTmux: Bool = false,
    environment: [String: String] = [:],
    home: String = NSTemporaryDirectory() + "orgscope-tmux-"
      + UUID().uuidString
  ) throws -> TmuxSession {
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    var env = Binary.baseEnvironment(home: home)
    env.removeValue(forKey: "COLUMNS")
    env.merge(environment) { _, new in new }
    return try TmuxSession(
      command: "\(Binary.path) --demo \(extra)", width: width, height: height, environment: env,
      keepTmux: keepTmux, directory: home)
  }

  /// The loaded count shown after a tab's title (`Twilio accts 500+` → 500).
  func loadedCount(_ screen: String, tab: String) -> Int {
    guard let firstLine = screen.split(separator: "\n").first, let range = firstLine.range(of: tab)
    else {
      return 0
    }
    let rest = firstLine[range.upperBound...].drop { !$0.isNumber }
    return Int(rest.prefix { $0.isNumber || $0 == "," }.filter(\.isNumber)) ?? 0
  }

  /// The one file an export wrote into `home`.
  func theExport(in home: String, suffix: String) throws -> String {
    let files = try FileManager.default.contentsOfDirectory(atPath: home).filter {
      $0.hasSuffix(suffix)
    }
    #expect(files.count == 1)
    return try String(contentsOfFile: home + "/" + (files.first ?? ""), encoding: .utf8)
  }

  func lines(_ screen: String) -> [Substring] {
    screen.split(separator: "\n", omittingEmptySubsequences: false)
  }

  @Test(.enabled(if: tmuxAvailable)) func demoStartsSwitchesTabsSearchesAndQuits() async throws {
    let session = try demo()
    defer { session.kill() }
    let first = try await session.waitFor("first page") {
      $0.contains("Twilio acc") && $0.contains("AC")
    }
    for line in lines(first) { #expect(DisplayWidth.of(line) <= 80) }
    #expect(lines(first).count <= 25)

    try session.send("3")
    try await session.waitFor("cloudflare tab") {
      $0.contains("Cloudflare")
        && $0.range(of: "[0-9a-f]{32}", options: .regularExpression) != nil
    }
    try session.send("/")
    try session.type("zzzz-no-such-account")
    try await session.waitFor("empty search result") { $0.contains("no matches") }
    try session.send("Escape")
    try session.send("Tab")
    try await session.waitFor("sendgrid tab") { $0.contains("SendGrid") }
    try session.send("2")
    try await session.waitFor("roles tab") { $0.contains("IX") }
    try session.send("Enter")
    try session.send("G")
    try await session.waitFor("role policy") { $0.contains("allow  /twilio/") }
    try session.send("Escape")
    try session.send("?")
    try await session.waitFor("help overlay") {
      $0.contains("Keys") && $0.contains("jump to a source")
    }
    try session.send("Escape")
    try session.send("q")
    let after = try await session.waitFor("exit") { $0.contains("EXITED:") }
    #expect(after.contains("EXITED:0"))
  }

  @Test(.enabled(if: tmuxAvailable)) func scrollingFarLoadsMorePagesAndResizeKeepsLayout()
    async throws
  {
    let session = try demo()
    defer { session.kill() }
    try await session.waitFor("first page") { $0.contains("AC") }
    for _ in 0..<40 { try session.send("PageDown") }
    // 40 pages down is past the first pages: the tab's loaded count says so, and the
    // first record is off screen.
    let screen = try await session.waitFor("rows far down") { screen in
      loadedCount(screen, tab: "Twilio acc") >= 400 && !screen.contains("Wayne Payments")
        && !screen.contains("Loading")
    }
    for line in lines(screen) { #expect(DisplayWidth.of(line) <= 80) }
    try session.resize(width: 60, height: 20)
    let narrow = try await session.waitFor("narrow layout") { screen in
      screen.contains("AC") && lines(screen).allSatisfy { DisplayWidth.of($0) <= 60 }
    }
    #expect(lines(narrow).count <= 21)
    try session.resize(width: 140, height: 40)
    try await session.waitFor("wide layout") { $0.contains("AC") }
    try session.send("C-c")
    let after = try await session.waitFor("exit") { $0.contains("EXITED:") }
    #expect(after.contains("EXITED:0"))
  }

  @Test(.enabled(if: tmuxAvailable)) func hostileNamesNeverReachTheTerminal() async throws {
    let session = try demo(width: 120, height: 40)
    defer { session.kill() }
    // Record 4 of every source bears a hostile name; with the demo's seed (1) it is a
    // clear-screen sequence before "Clear Screen Corp". The row is drawn, inert.
    let first = try await session.waitFor("the hostile row") { $0.contains("Clear Screen Corp") }
    #expect(!first.contains("[2J"), "an escape sequence reached the screen as text")
    for (key, tab) in [
      ("3", "Cloudflare"), ("4", "SendGrid"), ("5", "Huawei"), ("1", "Twilio accts"),
    ] {
      try session.send(key)
      try await session.waitFor("\(tab) rows") { loadedCount($0, tab: tab) > 0 }
      for _ in 0..<10 { try session.send("PageDown") }
    }
    try session.send("g")
    let screen = try await session.waitFor("the hostile row again") {
      $0.contains("Clear Screen Corp")
    }
    #expect(screen.contains("Twilio"), "the screen was cleared by a provider string")
    let title = try session.tmux(["display-message", "-p", "-t", session.name, "#{pane_title}"])
    #expect(!title.contains("pwned"), "a provider string changed the terminal title")
    try session.send("q")
    let after = try await session.waitFor("exit") { $0.contains("EXITED:") }
    #expect(after.contains("EXITED:0"))
  }

  @Test(.enabled(if: tmuxAvailable)) func whoCanNarrowsTheRolesAndMarksTheDetail() async throws {
    let session = try demo()
    defer { session.kill() }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("2")
    try await session.waitFor("roles tab") { $0.contains("IX") }
    try session.send("p")
    try session.type("/twilio/*/delete")
    let answer = try await session.waitFor("who can answer") {
      $0.contains("roles grant all of it") && $0.contains("Can")
    }
    #expect(answer.contains("some") || answer.contains("all "))
    for line in lines(answer) { #expect(DisplayWidth.of(line) <= 80) }
    try session.send("Enter")
    try session.send("Enter")
    try await session.waitFor("reaching entries first") { $0.contains("Who can /twilio/*/delete") }
    try session.send("Escape")
    try session.send("Escape")
    try await session.waitFor("answer cleared") { !$0.contains("Can ") && $0.contains("IX") }
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  /// `p /twilio/*/delete`, then `e c`: the file holds the verdicts, one row per role with
  /// its kind and coverage, and as many rows as the tab says can and are denied.
  @Test(.enabled(if: tmuxAvailable)) func whoCanExportHoldsVerdictsMarkedAsSuch() async throws {
    let home = NSTemporaryDirectory() + "orgscope-tmux-" + UUID().uuidString
    let session = try demo(home: home)
    defer {
      session.kill()
      try? FileManager.default.removeItem(atPath: home)
    }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("2")
    try await session.waitFor("roles tab") { $0.contains("IX") }
    try session.send("p")
    try session.type("/twilio/*/delete")
    let answer = try await session.waitFor("who can answer") {
      $0.contains("roles grant all of it") && $0.contains(" denied")
    }
    // `117 can · 13 denied` in the tab bar, not one narrowed count of both.
    let tabBar = String(lines(answer).first ?? "")
    let counts = tabBar.components(separatedBy: " can · ")
    let can = Int(counts.first?.split(separator: " ").last?.filter(\.isNumber) ?? "") ?? -1
    let denied =
      Int(counts.dropFirst().first?.prefix { $0.isNumber || $0 == "," }.filter(\.isNumber) ?? "")
      ?? -1
    #expect(can > 0 && denied >= 0, "\(tabBar)")
    #expect(!tabBar.contains("▾"), "\(tabBar)")
    try session.send("Enter")
    try session.send("e")
    try await session.waitFor("export prompt") { $0.contains("(c)sv") }
    try session.send("c")
    try await session.waitFor("exported") { $0.contains("exported") }
    let csv = try theExport(in: home, suffix: ".csv")
    let rows = csv.split(separator: "\r\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
    #expect(
      rows.first?.map(String.init) == ["kind", "sid", "friendly_name", "coverage", "allow", "deny"])
    let body = rows.dropFirst()
    #expect(body.count == can + denied)
    #expect(body.filter { $0.first == "granted" }.count == can)
    #expect(body.filter { $0.first == "overridden" }.count == denied)
    for row in body {
      switch row.first {
      case "granted": #expect(row[3] == "all" || row[3] == "some", "\(row)")
      case "overridden": #expect(row[3] == "none", "\(row)")
      default: Issue.record("a row that is neither granted nor overridden: \(row)")
      }
    }
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  /// `m` on one role, `d` on another: the verdict at the top of the detail pane.
  @Test(.enabled(if: tmuxAvailable)) func markAndDiffTwoRoles() async throws {
    let session = try demo()
    defer { session.kill() }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("2")
    try await session.waitFor("roles tab") { $0.contains("IX") }
    try session.send("m")
    try await session.waitFor("marked") { $0.contains("marked") }
    try session.send("j")
    try session.send("d")
    let screen = try await session.waitFor("the verdict") {
      $0.contains("grant exactly the same") || $0.contains("grants nothing that")
        || $0.contains("each grant something")
    }
    #expect(screen.contains("Entries whose coverage differs"), "\(screen)")
    for line in lines(screen) { #expect(DisplayWidth.of(line) <= 80) }
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  @Test(.enabled(if: tmuxAvailable)) func bigGReachesTheEndAndExportTakesAllRows() async throws {
    let home = NSTemporaryDirectory() + "orgscope-tmux-" + UUID().uuidString
    let session = try demo(extra: "--demo-accounts 1200", home: home)
    defer {
      session.kill()
      try? FileManager.default.removeItem(atPath: home)
    }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("3")
    try await session.waitFor("cloudflare tab") { $0.contains("of ≈1,200") }
    try session.send("G")
    try await session.waitFor("the last record") { $0.contains("1,200 of 1,200") }
    try session.send("1")
    try await session.waitFor("twilio tab") { $0.contains("AC") }
    try session.send("e")
    try await session.waitFor("export prompt") { $0.contains("all rows") }
    try session.send("C")
    try await session.waitFor("exported") { $0.contains("exported 1,200 rows") }
    let csv = try theExport(in: home, suffix: ".csv")
    #expect(csv.split(separator: "\r\n").count == 1201)
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  @Test(.enabled(if: tmuxAvailable)) func yInsideTmuxReachesTheTmuxBuffer() async throws {
    let session = try demo(keepTmux: true)
    defer { session.kill() }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("y")
    let screen = try await session.waitFor("copied") { $0.contains("to the tmux buffer") }
    let buffer = try session.tmux(["show-buffer"])
    #expect(buffer.hasPrefix("AC") && buffer.count == 34, "\(buffer)")
    #expect(screen.contains("copied \(buffer)"))
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  @Test(.enabled(if: tmuxAvailable)) func aCLocaleStillShowsNames() async throws {
    let session = try demo(width: 120, height: 40, environment: ["LANG": "C"])
    defer { session.kill() }
    try await session.waitFor("first page") { $0.contains("AC") }
    try session.send("3")
    let screen = try await session.waitFor("non-ASCII names") { screen in
      screen.unicodeScalars.contains { $0.value > 0x7F && $0 != "…" && $0 != "│" && $0 != "─" }
    }
    #expect(!screen.contains("???"))
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }
}

extension TmuxTests {
  /// SGR mouse reports (what xterm-256color's `kmous=\E[<` reads) at a 0-based cell: a
  /// click is a press of button 0 and its release, as a terminal sends them (ncurses waits
  /// for the release before it reports another press); 64 and 65 are the wheel.
  func mouse(_ button: Int, x: Int, y: Int) -> String {
    let at = "\(x + 1);\(y + 1)"
    return button == 0 ? "\u{1B}[<0;\(at)M\u{1B}[<0;\(at)m" : "\u{1B}[<\(button);\(at)M"
  }

  /// The 0-based column where `label` starts on the first line.
  func column(of label: String, in screen: String) -> Int? {
    guard let first = lines(screen).first, let range = first.range(of: label) else { return nil }
    return first.distance(from: first.startIndex, to: range.lowerBound)
  }

  @Test(.enabled(if: tmuxAvailable)) func clicksSelectTabsAndRowsAndSSortsOnTheServer()
    async throws
  {
    let session = try demo(width: 100, height: 30)
    defer { session.kill() }
    let first = try await session.waitFor("first page") { $0.contains("AC") }
    let x = try #require(column(of: "3 Cloudflare", in: first))
    try session.type(mouse(0, x: x + 2, y: 0))
    try await session.waitFor("the Cloudflare tab") { screen in
      lines(screen).dropFirst().first?.contains("Type") == true
    }
    try await session.waitFor("rows") { $0.contains("standard") }
    // The fourth row of the list (y = 5: the tab bar, the header, then rows).
    try session.type(mouse(0, x: 3, y: 5))
    try await session.waitFor("the clicked row selected") { $0.contains("4 of ") }
    try session.type(mouse(65, x: 3, y: 5))
    try await session.waitFor("the wheel moved three rows") { $0.contains("7 of ") }
    try session.send("s")
    try await session.waitFor("a server sort") { screen in
      screen.contains("Name ↑") && screen.contains("sorted by Name ascending on the server")
    }
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }

  @Test(.enabled(if: tmuxAvailable)) func noMouseLeavesClicksToTheTerminal() async throws {
    let session = try demo(width: 100, height: 30, extra: "--no-mouse")
    defer { session.kill() }
    let first = try await session.waitFor("first page") { $0.contains("AC") }
    let x = try #require(column(of: "3 Cloudflare", in: first))
    try session.type(mouse(0, x: x + 2, y: 0))
    try session.send("2")
    let screen = try await session.waitFor("the roles tab") { $0.contains("Level") }
    #expect(!screen.contains("Type"), "a click did nothing:\n\(screen)")
    try session.send("q")
    try await session.waitFor("exit") { $0.contains("EXITED:0") }
  }
}
