import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSandbox

/// `orgscope sandbox`: all five APIs on 127.0.0.1 with generated data, until interrupted.
struct SandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sandbox",
    abstract: "Serve all five APIs on 127.0.0.1 with generated data, for trials and tests.")

  @Option(help: "Port (0 = a free one).") var port: Int = 0
  @Option(help: "Accounts per account source.") var accounts: Int = 5000
  @Option(help: "Twilio roles.") var roles: Int = 300
  @Option(help: "Time from taking up a request to answering it, in milliseconds.") var latency:
    Int = 0
  @Option(help: "Seed of the generated data.") var seed: UInt64 = 1
  @Option(name: .customLong("fail-rate"), help: "Share of requests answered with a 503 (0–1).")
  var failRate: Double = 0
  @Option(
    name: .customLong("fault"),
    help: "ROUTE:KIND[:ARG][:once], e.g. cloudflare:html500, huawei:429:2:once, sendgrid:truncated."
  )
  var faults: [String] = []

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
      failRate: failRate, faults: parsedFaults)
    let sandbox = try await Sandbox.start(options)
    var output = Output()
    output.write("# orgscope sandbox on \(sandbox.baseURL) (demo credentials; Ctrl-C to stop)\n")
    output.write(
      sandbox.exportLines.hasSuffix("\n") ? sandbox.exportLines : sandbox.exportLines + "\n")
    output.flush()
    try await sandbox.waitUntilStopped()
  }
}
