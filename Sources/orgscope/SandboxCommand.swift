import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSandbox

/// `orgscope sandbox`: all five APIs on 127.0.0.1 with generated data, until interrupted.
struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sandbox",
    abstract: "Serve all five APIs on 127.0.0.1 with generated data, for trials and tests.",
    discussion: examples(
      "orgscope sandbox --port 8080 --accounts 10000 --latency 20",
      "orgscope sandbox --epoch later"))

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Port (0 = a free one).", valueName: "n"),
    transform: Number.whole)
  var port = 0

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Accounts per account source.", valueName: "n"),
    transform: Number.whole)
  var accounts = 5000

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Twilio roles.", valueName: "n"),
    transform: Number.whole)
  var roles = 300

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Twilio users (SCIM), each with role assignments.", valueName: "n"),
    transform: Number.whole)
  var users = SandboxOptions().users

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Time from reading a request to writing its answer, in milliseconds (a round trip).",
      valueName: "ms"),
    transform: Number.whole)
  var latency = 0

  @Option(
    parsing: .unconditional, help: ArgumentHelp("Seed of the generated data.", valueName: "n"),
    transform: Number.whole)
  var seed: UInt64 = 1

  @Option(
    name: .customLong("fail-rate"), parsing: .unconditional,
    help: ArgumentHelp("Share of requests answered with a 503 (0–1).", valueName: "share"),
    transform: Number.decimal)
  var failRate = 0.0

  @Option(
    name: .customLong("fault"), parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      """
      ROUTE:KIND[:ARG][:once], e.g. cloudflare:html500, huawei:429:2:once, sendgrid:truncated \
      (may be repeated).
      """, valueName: "fault"))
  var faults: [String] = []

  @Option(
    parsing: .unconditional,
    help: """
      Serve the organization as it is (initial) or some weeks later: accounts closed, renamed, \
      removed and added, roles widened (for snapshot diff trials).
      """)
  var epoch: SandboxEpoch = .initial

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
    guard accounts >= 0, roles >= 0, users >= 0, latency >= 0 else {
      throw ValidationError("--accounts, --roles, --users and --latency must not be negative")
    }
    guard (0...1).contains(failRate) else {
      throw ValidationError("--fail-rate must be between 0 and 1")
    }
  }

  func run() async throws {
    var parsedFaults: [SandboxFault] = []
    for text in faults {
      do { parsedFaults.append(try SandboxFault(parsing: text)) } catch {
        throw ValidationError("--fault \(text): \(error)")
      }
    }
    var options = SandboxOptions(
      port: port, accounts: accounts, roles: roles, latencyMilliseconds: latency, seed: seed,
      failRate: failRate, faults: parsedFaults, epoch: epoch)
    options.users = users
    // A port in use is one line that says what to do (`SandboxError.portInUse`).
    let sandbox = try await Sandbox.start(options) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    var output = OutputBuffer()
    output.write("# orgscope sandbox on \(sandbox.baseURL) (demo credentials; Ctrl-C to stop)\n")
    output.write(
      sandbox.exportLines.hasSuffix("\n") ? sandbox.exportLines : sandbox.exportLines + "\n")
    output.flush()
    try await sandbox.waitUntilStopped()
  }
}
