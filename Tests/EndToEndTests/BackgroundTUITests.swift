import Foundation
import OrgScopeCore
import Testing

/// Issue 22, finding 6: started in a background process group (`orgscope &` in a shell
/// with job control) the TUI spun at 100% CPU instead of stopping until `fg`.
@Suite struct BackgroundTUITests {
  /// The process state letter in `/proc/PID/stat` (`T`: stopped).
  static func state(_ pid: Int32) -> String? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    return text[text.index(after: close)...].split(separator: " ").first.map(String.init)
  }

  @Test(.enabled(if: TmuxTests.tmuxAvailable && FileManager.default.fileExists(atPath: "/proc")))
  func startedInTheBackgroundTheTUIStopsUntilBroughtBack() async throws {
    let home = try Binary.scratchHome()
    defer { try? FileManager.default.removeItem(atPath: home) }
    var environment = Binary.baseEnvironment(home: home)
    environment.removeValue(forKey: "COLUMNS")
    let script = "set -m; \(Binary.path) --demo & echo PID:$!; sleep 60"
    let session = try await TmuxSession(
      command: "sh -c \(TmuxSession.quote(script))", environment: environment, directory: home)
    defer { session.kill() }
    let screen = try await session.waitFor("the pid") { $0.contains("PID:") }
    let pid = try #require(
      screen.components(separatedBy: "PID:").last?.prefix(while: \.isNumber).description)
    let process = try #require(Int32(pid))
    defer { kill(process, SIGKILL) }
    var seen: [String] = []
    for _ in 0..<100 {
      let now = Self.state(process) ?? "gone"
      seen.append(now)
      if now == "T" { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(seen.last == "T", "states seen: \(Set(seen))")
  }
}
