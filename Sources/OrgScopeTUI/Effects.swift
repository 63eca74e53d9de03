import Foundation
import OrgScopeCore

/// Side effects that are plain functions of their input, kept apart from the runtime so
/// tests can check them without a terminal.
enum Effects {
  /// The most text copied with OSC 52: its base64 is at most 100,000 bytes, which
  /// terminals take (xterm's default limit is about that), and the UI never waits seconds
  /// on writing a sequence of megabytes.
  static let osc52MaxBytes = 75_000

  /// The OSC 52 sequence that puts `text` on the clipboard; inside tmux it is wrapped in a
  /// DCS passthrough (with ESC doubled) so tmux hands it to the outer terminal. Nil when
  /// `text` is longer than `osc52MaxBytes`.
  static func osc52(_ text: String, tmux: Bool) -> String? {
    guard text.utf8.count <= osc52MaxBytes else { return nil }
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
  static func tmuxLoadBuffer(_ text: String, environment: [String: String]) async -> String? {
    let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map {
      String($0) + "/tmux"
    }.first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let tmux = path else { return "tmux is not on the PATH" }
    do {
      let result = try await ChildProcess.run(
        tmux, arguments: ["load-buffer", "-w", "-"], input: Array(text.utf8), stdout: .discard,
        stderr: .discard, timeout: 10)
      return result.status == 0 ? nil : "tmux load-buffer failed (status \(result.status))"
    } catch {
      return "\(error)"
    }
  }

  /// What `y`/`Y` write to the terminal outside tmux (nil: nothing) and the status line
  /// that says what happened. Whether the terminal put it on the clipboard cannot be known
  /// (many ignore OSC 52, and tmux drops it when `$TMUX` is unset, as under sudo): the line
  /// says what was sent, never "copied".
  static func copyWithOSC52(_ text: String) -> (sequence: String?, status: StatusMessage) {
    guard let sequence = osc52(text, tmux: false) else {
      return (
        nil,
        StatusMessage(
          level: .error,
          text:
            "not copied: \(copiedName(text)) is too large to copy with OSC 52 (at most \(osc52MaxBytes.formatted) bytes); export it with e"
        )
      )
    }
    return (
      sequence,
      StatusMessage(
        level: .info,
        text: "sent \(copiedName(text)) to the terminal as OSC 52; your terminal may ignore it")
    )
  }

  /// How a copied text is named in the status line: an id as it is, a record by its size.
  static func copiedName(_ text: String) -> String {
    text.hasPrefix("{") ? "the record as JSON (\(text.utf8.count.formatted) bytes)" : text
  }

  /// The export file's contents: the records, or a "who can" answer as `orgscope roles
  /// grants` writes it (CSV the same; JSON an array of its NDJSON lines: one object per role
  /// with `kind` and `coverage`).
  static func exportText(_ request: ExportRequest) -> String {
    // By person, as `orgscope who-can` writes it (the coverage column included).
    if let people = request.people {
      switch request.format {
      case .json: return JSONWriter.pretty(.array(PeopleReport.ndjson(people))) + "\n"
      case .csv: return PeopleReport.csv(people)
      }
    }
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
