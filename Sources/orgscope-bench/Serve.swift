import Foundation
import OrgScopeSandbox

/// `serve`: the sandbox as a process of its own, for when the `orgscope sandbox` command is
/// not available. It stops by itself after `--max-seconds` so a lost bench never lingers.
enum Serve {
  static func run(_ options: Options) async throws {
    let sandbox = try await Sandbox.start(
      SandboxOptions(
        accounts: try options.int("accounts", default: 5000),
        roles: try options.int("roles", default: 300),
        latencyMilliseconds: try options.int("latency", default: 0),
        seed: UInt64(try options.int("seed", default: 1))))
    let banner = "# orgscope-bench sandbox on \(sandbox.baseURL)\n" + sandbox.exportLines
    FileHandle.standardOutput.write(Data(banner.utf8))
    let limit = try options.int("max-seconds", default: 3600)
    try? await Task.sleep(nanoseconds: UInt64(limit) * 1_000_000_000)
    await sandbox.stop()
  }
}
