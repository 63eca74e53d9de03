import Foundation
import OrgScopeCore
import OrgScopeSandbox

/// Runs the built `orgscope` binary, as an admin would.
enum Binary {
  /// The `orgscope` executable next to the test bundle (SwiftPM puts both in the same
  /// build folder).
  static let path: String = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("orgscope").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/orgscope").path
  }()

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// A new, empty folder to be a test's home.
  static func scratchHome() throws -> String {
    let home = NSTemporaryDirectory() + "orgscope-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    return home
  }

  /// A clean environment: no credentials of the developer's leak into a test.
  static func baseEnvironment(home: String) -> [String: String] {
    [
      "PATH": "/usr/bin:/bin", "HOME": home, "XDG_CONFIG_HOME": home + "/.config",
      "LANG": "C.UTF-8", "COLUMNS": "100", "TERM": "xterm-256color",
    ]
  }

  /// Runs the binary and awaits its end: the waiting happens on a thread of
  /// `ChildProcess`'s own, never on the cooperative pool that the in-process sandboxes of
  /// other tests share (with 2 cores, two blocked waits would starve every one of them).
  static func run(
    _ arguments: [String], environment: [String: String], timeout: TimeInterval = 120,
    executable: String = path
  ) async throws -> Result {
    let result = try await ChildProcess.run(
      executable, arguments: arguments, environment: environment, timeout: timeout)
    return Result(status: result.status, stdout: result.stdoutText, stderr: result.stderrText)
  }

  /// Runs the binary with its standard output on a terminal (a pty from `script`, which
  /// every Debian has), as an admin at a prompt would; the output's CR LF become LF.
  static func runInTerminal(_ arguments: [String], environment: [String: String]) async throws
    -> Result
  {
    let command = ([path] + arguments).map {
      "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    .joined(separator: " ")
    var result = try await run(
      ["-qec", command, "/dev/null"], environment: environment, executable: "/usr/bin/script")
    result.stdout = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    return result
  }
}

/// A sandbox for one test, with a scratch home folder.
struct SandboxFixture {
  let sandbox: RunningSandbox
  let home: String

  static func start(_ options: SandboxOptions = SandboxOptions(accounts: 1200, roles: 150))
    async throws
    -> SandboxFixture
  {
    let sandbox = try await Sandbox.start(options)
    let home = NSTemporaryDirectory() + "orgscope-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    return SandboxFixture(sandbox: sandbox, home: home)
  }

  var environment: [String: String] {
    Binary.baseEnvironment(home: home).merging(sandbox.environment) { _, new in new }
  }

  /// Every secret the sandbox hands out, to check no output contains one.
  var secrets: [String] {
    sandbox.environment.filter { key, _ in
      key.hasSuffix("SECRET") || key.hasSuffix("_KEY") || key.hasSuffix("TOKEN")
        || key.hasSuffix("_SK")
    }.map(\.value)
  }

  func run(_ arguments: [String], extra: [String: String] = [:]) async throws -> Binary.Result {
    try await Binary.run(arguments, environment: environment.merging(extra) { _, new in new })
  }

  func stop() async {
    await sandbox.stop()
    try? FileManager.default.removeItem(atPath: home)
  }
}
