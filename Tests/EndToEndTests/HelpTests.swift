import Foundation
import OrgScopeCore
import Testing

/// Every command's `--help`, found by walking the commands from the root's help as a reader
/// would: each shows examples, and each that takes `--demo` shows `--demo-epoch`.
@Suite struct HelpTests {
  func help(_ path: [String]) async throws -> String {
    let result = try await Binary.run(
      path + ["--help"], environment: Binary.baseEnvironment(home: NSTemporaryDirectory()))
    #expect(result.status == 0, "\(path): \(result.stderr)")
    return result.stdout
  }

  /// The command names listed under `SUBCOMMANDS:` (argument-parser's `help` left out).
  func subcommands(_ help: String) -> [String] {
    guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
    return help[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
      .prefix { $0.hasPrefix("  ") }
      .compactMap { line in
        let name = line.drop { $0 == " " }.prefix { $0 != " " }
        return line.hasPrefix("    ") || name.isEmpty || name == "help" ? nil : String(name)
      }
  }

  @Test func everyCommandsHelpEndsWithExamplesAndShowsTheDemoEpoch() async throws {
    var pending: [[String]] = [[]]
    var seen: [[String]] = []
    while let path = pending.popLast() {
      seen.append(path)
      let text = try await help(path)
      let examples = try #require(
        text.range(of: "Examples:\n"), "orgscope \(path.joined(separator: " ")) has no examples")
      let lines = text[examples.upperBound...].split(separator: "\n").prefix { $0.hasPrefix("  ") }
      #expect(
        !lines.isEmpty && lines.allSatisfy { $0.hasPrefix("  orgscope") }, "\(path): \(lines)")
      if text.contains("  --demo ") {
        #expect(
          text.contains("--demo-epoch <epoch>"), "\(path) takes --demo but hides --demo-epoch")
      }
      pending += subcommands(text).map { path + [$0] }
    }
    // The walk reached every command, groups and their members included.
    for path in [
      ["browse"], ["roles", "matrix"], ["users", "show"], ["snapshot", "diff"], ["sandbox"],
    ] {
      #expect(seen.contains(path), "\(path) not reached: \(seen)")
    }
  }

  /// The manual (`generate-manual` reads `--experimental-dump-help`) is made from the same
  /// help: the examples, and the default command's options at the top level.
  @Test func theManualsSourceHasTheExamplesAndTheTopLevelOptions() async throws {
    let result = try await Binary.run(
      ["--experimental-dump-help"],
      environment: Binary.baseEnvironment(home: NSTemporaryDirectory()))
    #expect(result.status == 0, "\(result.stderr)")
    let command = try #require(try JSONParser.parse(result.stdout).object?["command"]?.object)
    let names = (command["arguments"]?.array ?? []).compactMap {
      $0.object?["preferredName"]?.object?["name"]?.string
    }
    for name in ["demo", "snapshot", "since", "theme", "version"] {
      #expect(names.contains(name), "the manual's top level lacks --\(name): \(names)")
    }
    #expect(command["discussion"]?.string?.contains("Examples:\n  orgscope --demo") == true)
  }
}
