import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeTUI

/// The key map is the one place keys are bound: dispatch, the help overlay and the README's
/// key table agree with it.
@Suite struct KeyMapTests {
  static let map = KeyMap(tabCount: ProviderRegistry.all.count)

  /// A tab that admits `binding` (the roles tab for `p`, a `--since` tab for `c`).
  func tab(for binding: KeyBinding) -> SourceTab {
    var tab = SourceTab(
      setup: binding.tabs == .policies || binding.tabs == .audits
        ? Fixtures.roles : Fixtures.cloudflare)
    if binding.tabs == .since {
      tab.since = Baseline(takenAt: "2026-01-01", records: [:])
    }
    return tab
  }

  @Test func everyBindingDispatchesToItsOwnAction() {
    for binding in Self.map.browse + Self.map.prompts + Self.map.dialogs {
      for place in binding.places {
        for (key, action) in binding.keys {
          // The first binding of a key in a place wins: none may hide another.
          #expect(
            Self.map.action(for: key, in: place, on: tab(for: binding)) == action,
            "\(key) in \(place) does not reach \(action)")
        }
      }
    }
  }

  @Test func editingKeysReachTheTextField() {
    for binding in Self.map.editing {
      for (key, action) in binding.keys {
        guard case .edit(let edit) = action else {
          Issue.record("\(key) is not an edit")
          continue
        }
        #expect(KeyMap.editAction(for: key) == edit)
      }
    }
    // Every editing action has a key.
    let bound = Set(Self.map.editing.flatMap { $0.keys.map(\.action) })
    for edit in TextField.Action.allCases { #expect(bound.contains(.edit(edit))) }
  }

  @Test func theTabDigitsFollowTheNumberOfTabs() {
    let five = KeyMap(tabCount: 5)
    let six = KeyMap(tabCount: 6)
    let tab = SourceTab(setup: Fixtures.cloudflare)
    #expect(five.action(for: .character("6"), in: .list, on: tab) == nil)
    #expect(six.action(for: .character("6"), in: .list, on: tab) == .jumpToTab)
    #expect(six.browse.contains { $0.label(arrows: false) == "1-6" })
    let lines = Canvas.helpLines(six)
    #expect(lines.contains(.keys("1-6", "jump to a source")))
    #expect(!lines.contains { if case .keys(let keys, _) = $0 { keys == "1-5" } else { false } })
  }

  @Test func theHelpShowsEveryBindingWithItsHelp() {
    let lines = Canvas.helpLines(Self.map)
    for binding in Self.map.browse + Self.map.editing + Self.map.prompts + Self.map.dialogs {
      let label = binding.label(arrows: false)
      let shown =
        lines.contains(.keys(label, binding.describedHelp))
        || (lines.contains(.keys(label, "")) && lines.contains(.keys("", binding.describedHelp)))
      #expect(shown, "the help lacks \(label): \(binding.describedHelp)")
    }
    // l works (it focuses the detail pane), so the help names it.
    #expect(lines.contains(.keys("Enter l Right", "focus the detail pane")))
  }

  @Test func keysOutsideTheMapAreUnknownAndKeysInItAreNot() {
    var state = Fixtures.loaded([Fixtures.cloudflare]) { _ in Fixtures.page(0..<3, next: nil) }
    _ = App.update(&state, .key(.character("x")))
    #expect(state.status?.text == "unknown key x — ? for help")
    for binding in state.keyMap.browse where binding.tabs == .any && binding.places.contains(.list)
    {
      for (key, _) in binding.keys where key != .character("q") && key != .ctrl("c") {
        var copy = Fixtures.loaded([Fixtures.cloudflare]) { _ in Fixtures.page(0..<3, next: nil) }
        _ = App.update(&copy, .key(key))
        #expect(copy.status?.text.hasPrefix("unknown key") != true, "\(key)")
      }
    }
  }

  // MARK: - The README's key table

  /// The key column of the README's TUI key table, as names (`1`–`5` is `1-5`).
  static func readmeKeys() throws -> Set<String> {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    let readme = try String(contentsOf: url, encoding: .utf8)
    let section = try #require(readme.components(separatedBy: "\n## The TUI\n").dropFirst().first)
    var names: Set<String> = []
    var inTable = false
    for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("| key |") {
        inTable = true
        continue
      }
      guard inTable else { continue }
      guard line.hasPrefix("|") else { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
      guard cells.count > 2, !cells[1].hasPrefix("---") else { continue }
      var keys = String(cells[1])
      if let range = keys.range(of: "`1`–`([0-9])`", options: .regularExpression) {
        let last = keys[range].dropLast().last.map(String.init) ?? ""
        names.insert("1-" + last)
        keys.removeSubrange(range)
      }
      let parts = keys.split(separator: "`", omittingEmptySubsequences: false)
      for (index, part) in parts.enumerated() where index % 2 == 1 { names.insert(String(part)) }
    }
    return names
  }

  /// The names of the keys the list, the detail pane and the prompts bind.
  static var mapKeys: Set<String> {
    Set(
      (map.browse + map.editing + map.prompts).flatMap { $0.names(arrows: true) })
  }

  @Test func everyKeyInTheReadmeTableIsBound() throws {
    let extra = try Self.readmeKeys().subtracting(Self.mapKeys)
    #expect(extra.isEmpty, "the README's key table names keys the key map does not bind: \(extra)")
  }

  @Test func everyBoundKeyIsInTheReadmeTable() throws {
    let missing = try Self.mapKeys.subtracting(Self.readmeKeys())
    #expect(missing.isEmpty, "the README's key table lacks: \(missing)")
  }
}
