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

  /// `list`'s filter options are declared one by one (argument-parser's options are
  /// properties): every filter the provider registry declares must have one.
  @Test func everyProviderFilterIsAListOption() async throws {
    let help = try await Binary.run(["list", "--help"], environment: try environment())
    #expect(help.status == 0)
    // Help lines are wrapped: compare with the spaces and line breaks folded.
    let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(!ProviderRegistry.filters.isEmpty)
    for filter in ProviderRegistry.filters {
      #expect(text.contains("--\(filter.name)"), "list has no --\(filter.name)")
      #expect(text.contains(filter.help), "list --help lacks the help of --\(filter.name)")
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
