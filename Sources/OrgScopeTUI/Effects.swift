import Foundation
import OrgScopeCore

/// Side effects that are plain functions of their input, kept apart from the runtime so
/// tests can check them without a terminal.
enum Effects {
  /// The OSC 52 sequence that puts `text` on the clipboard; inside tmux it is wrapped in a
  /// DCS passthrough (with ESC doubled) so tmux hands it to the outer terminal.
  static func osc52(_ text: String, tmux: Bool) -> String {
    let payload = Data(text.utf8).base64EncodedString()
    let sequence = "\u{1B}]52;c;\(payload)\u{07}"
    guard tmux else { return sequence }
    return "\u{1B}Ptmux;\u{1B}" + sequence + "\u{1B}\\"
  }

  /// Where `y` sends text: inside tmux, tmux's own buffer (`tmux load-buffer -w -`, which
  /// also sets the outer terminal's clipboard with tmux's default `set-clipboard`), since
  /// tmux drops a wrapped OSC 52 unless `allow-passthrough` is on; elsewhere OSC 52.
  static func copiesThroughTmux(_ environment: [String: String]) -> Bool {
    environment["TMUX"].map { !$0.isEmpty } ?? false
  }

  /// Gives `text` to `tmux load-buffer -w -` on its standard input. The child inherits no
  /// other descriptor (the TUI's sockets must not outlive it in a tmux server). Returns nil
  /// on success, else why it failed.
  static func tmuxLoadBuffer(_ text: String, environment: [String: String]) -> String? {
    let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map {
      String($0) + "/tmux"
    }.first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let tmux = path else { return "tmux is not on the PATH" }
    var pipeEnds: [Int32] = [0, 0]
    guard pipe(&pipeEnds) == 0 else { return "no pipe: errno \(errno)" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    closeFrom(3, &actions)
    let argv = [tmux, "load-buffer", "-w", "-"]
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, tmux, &actions, nil, &cArguments, environ)
    close(pipeEnds[0])
    guard spawned == 0 else {
      close(pipeEnds[1])
      return "tmux did not start: errno \(spawned)"
    }
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes {
        write(pipeEnds[1], $0.baseAddress, $0.count)
      }
      if written <= 0 { break }
      offset += written
    }
    close(pipeEnds[1])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exited = status & 0x7F == 0
    let code = (status >> 8) & 0xFF
    return exited && code == 0 ? nil : "tmux load-buffer failed (status \(code))"
  }

  private typealias AddCloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

  /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time: the
  /// Glibc module does not declare it. Without it, each descriptor up to a bound is closed.
  private static func closeFrom(_ first: Int32, _ actions: inout posix_spawn_file_actions_t) {
    if let symbol = dlsym(
      UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    {
      let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
      if addCloseFrom(&actions, first) == 0 { return }
    }
    for fd in first..<1024 { posix_spawn_file_actions_addclose(&actions, fd) }
  }

  /// How a copied text is named in the status line: an id as it is, a record by its size.
  static func copiedName(_ text: String) -> String {
    text.hasPrefix("{") ? "the record as JSON (\(text.utf8.count.formatted) bytes)" : text
  }

  /// The export file's contents: the records, or a "who can" answer as `orgscope roles
  /// grants` writes it (CSV the same; JSON an array of its NDJSON lines: one object per role
  /// with `kind` and `coverage`).
  static func exportText(_ request: ExportRequest) -> String {
    if let audit = request.audit {
      switch request.format {
      case .json: return JSONWriter.pretty(.array(AuditReport.ndjson(audit))) + "\n"
      case .csv: return AuditReport.csv(audit)
      }
    }
    switch request.format {
    case .json: return RecordOutput.json(request.records)
    case .csv: return RecordOutput.csv(request.records)
    }
  }

  /// A file name in `directory` that does not exist yet: `orgscope-<source>-<stamp>.<ext>`.
  static func exportPath(_ request: ExportRequest, directory: String, date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let stem = "orgscope-\(request.source.rawValue)-\(formatter.string(from: date))"
    var path = (directory as NSString).appendingPathComponent("\(stem).\(request.format.rawValue)")
    var counter = 2
    while FileManager.default.fileExists(atPath: path) {
      path = (directory as NSString).appendingPathComponent(
        "\(stem)-\(counter).\(request.format.rawValue)")
      counter += 1
    }
    return path
  }

  /// Writes the export (mode 0600: it may hold account data) and returns its path.
  static func export(_ request: ExportRequest, directory: String, date: Date) throws -> String {
    let path = exportPath(request, directory: directory, date: date)
    let data = Data(exportText(request).utf8)
    guard
      FileManager.default.createFile(
        atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    return path
  }
}
