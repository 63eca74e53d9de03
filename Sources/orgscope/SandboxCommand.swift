import Foundation
import OrgScopeCore
import OrgScopeSandbox

/// `orgscope sandbox`: all five APIs on 127.0.0.1 with generated data, until interrupted.
struct SandboxCommand: Subcommand {
  static let path = ["sandbox"]
  static let spec = CommandSpec(
    name: "sandbox",
    abstract: "Serve all five APIs on 127.0.0.1 with generated data, for trials and tests.",
    options: [
      .option("port", "n", "Port (0 = a free one)."),
      .option("accounts", "n", "Accounts per account source."),
      .option("roles", "n", "Twilio roles."),
      .option(
        "latency", "ms",
        "Time from reading a request to writing its answer, in milliseconds (a round trip)."),
      .option("seed", "n", "Seed of the generated data."),
      .option("fail-rate", "share", "Share of requests answered with a 503 (0–1)."),
      .option(
        "fault", "fault",
        "ROUTE:KIND[:ARG][:once], e.g. cloudflare:html500, huawei:429:2:once, sendgrid:truncated.",
        repeatable: true),
      .option(
        "epoch", "initial|later",
        "Serve the organization as it is (initial) or some weeks later: accounts closed, renamed, removed and added, roles widened (for snapshot diff trials)."
      ),
    ])

  var port: Int
  var accounts: Int
  var roles: Int
  var latency: Int
  var seed: UInt64
  var failRate: Double
  var faults: [String]
  var epoch: SandboxEpoch

  init(_ arguments: ParsedArguments) throws {
    epoch = try arguments.choice("epoch", default: .initial)
    port = try arguments.int("port", default: 0)
    accounts = try arguments.int("accounts", default: 5000)
    roles = try arguments.int("roles", default: 300)
    latency = try arguments.int("latency", default: 0)
    seed = try arguments.value("seed", 1, expected: "a whole number") { UInt64($0) }
    failRate = try arguments.value("fail-rate", 0, expected: "a number") { Double($0) }
    faults = arguments.strings("fault")
  }

  func run() async throws {
    guard (0...65535).contains(port) else { throw OrgScopeError.usage("--port must be 0–65535") }
    guard accounts >= 0, roles >= 0, latency >= 0 else {
      throw OrgScopeError.usage("--accounts, --roles and --latency must not be negative")
    }
    guard (0...1).contains(failRate) else {
      throw OrgScopeError.usage("--fail-rate must be between 0 and 1")
    }
    var parsedFaults: [SandboxFault] = []
    for text in faults {
      do { parsedFaults.append(try SandboxFault(parsing: text)) } catch {
        throw OrgScopeError.usage("--fault \(text): \(error)")
      }
    }
    let options = SandboxOptions(
      port: port, accounts: accounts, roles: roles, latencyMilliseconds: latency, seed: seed,
      failRate: failRate, faults: parsedFaults, epoch: epoch)
    // A port in use is one line that says what to do (`SandboxError.portInUse`).
    let sandbox = try await Sandbox.start(options) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    var output = Output()
    output.write("# orgscope sandbox on \(sandbox.baseURL) (demo credentials; Ctrl-C to stop)\n")
    output.write(
      sandbox.exportLines.hasSuffix("\n") ? sandbox.exportLines : sandbox.exportLines + "\n")
    output.flush()
    try await sandbox.waitUntilStopped()
  }
}
