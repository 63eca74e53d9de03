import Foundation
import OrgScopeCore
import Testing

/// `orgscope --generate-completion-script SHELL` and argument-parser's suggestions, run as
/// the built binary.
@Suite struct CompletionTests {
  /// The built-in themes: the files the TUI's built-in list is generated from.
  static let themes: [String] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("themes").path
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  func environment() throws -> [String: String] {
    let home = NSTemporaryDirectory() + "orgscope-e2e-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    return Binary.baseEnvironment(home: home)
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptOffersSourcesFormatsMatchModesAndThemes(shell: String) async throws {
    let result = try await Binary.run(
      ["--generate-completion-script", shell], environment: try environment())
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let script = result.stdout
    #expect(Self.themes.count >= 5, "themes/ should hold the built-in themes")
    let values =
      SourceID.allCases.map(\.rawValue) + OutputFormat.allCases.map(\.rawValue)
      + MatchMode.allCases.map(\.rawValue) + Self.themes
    for value in values { #expect(script.contains(value), "\(shell) script lacks \(value)") }
    for option in ["format", "match", "theme", "where", "with-contact-info"] {
      #expect(script.contains(option), "\(shell) script lacks --\(option)")
    }
    for command in ["list", "roles", "grants", "snapshot", "sandbox"] {
      #expect(script.contains(command), "\(shell) script lacks \(command)")
    }
  }

  @Test func aMisspeltOptionIsAUsageErrorThatSuggestsTheRightOne() async throws {
    let result = try await Binary.run(
      ["list", "huawei", "--serch", "acme"], environment: try environment())
    #expect(result.status == 2)
    #expect(
      result.stderr.split(separator: "\n") == [
        "orgscope: usage: unknown option \"--serch\"; did you mean \"--search\"?",
        "orgscope: see: orgscope list --help",
      ], "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test func anUnknownShellIsAUsageError() async throws {
    let result = try await Binary.run(
      ["--generate-completion-script", "tcsh"], environment: try environment())
    #expect(result.status == 2)
    #expect(result.stderr.contains("tcsh"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 2, "\(result.stderr)")
  }
}
