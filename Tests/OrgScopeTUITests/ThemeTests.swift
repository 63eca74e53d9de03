import Foundation
import Testing

@testable import OrgScopeTUI

@Suite struct ThemeTests {
  static let repositoryThemes = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes")

  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("orgscope-theme-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test(arguments: ["default", "dark", "light", "high-contrast", "mono"])
  func builtInThemeMatchesTheRepositoryFileAndLoads(name: String) throws {
    let file = Self.repositoryThemes.appendingPathComponent("\(name).toml")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(BuiltinThemes.sources[name] == text.trimmingCharacters(in: .newlines))
    let theme = try Theme.load(named: name, directories: [])
    #expect(theme.name == name)
    for slot in ThemeSlot.allCases { #expect(theme.styles[slot] != nil, "\(name) lacks \(slot)") }
  }

  @Test func monoHasNoColourInAnySlot() throws {
    let theme = try Theme.load(named: "mono", directories: [])
    for slot in ThemeSlot.allCases {
      #expect(theme[slot].fg == .default && theme[slot].bg == .default, "mono colours \(slot)")
    }
  }

  @Test func defaultThemeColoursDenyApartFromAllow() {
    let theme = Theme.fallback
    #expect(theme[.policyDeny] != theme[.policyAllow])
    #expect(theme[.cursor].bg != .default)
  }

  @Test func partialUserThemeMergesOverTheDefault() throws {
    let directory = try temporaryDirectory()
    try """
    # only the cursor
    [cursor]
    fg = "#ff8700"
    bg = 17
    """.write(to: directory.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
    let theme = try Theme.load(named: "mine", directories: [directory.path])
    #expect(theme[.cursor].fg == .rgb(0xFF, 0x87, 0x00))
    #expect(theme[.cursor].bg == .index(17))
    #expect(theme[.policyDeny] == Theme.fallback[.policyDeny])
  }

  @Test func userThemeDirectoryWinsOverBuiltIn() throws {
    let directory = try temporaryDirectory()
    try "[title]\nfg = \"magenta\"\n".write(
      to: directory.appendingPathComponent("dark.toml"), atomically: true, encoding: .utf8)
    let theme = try Theme.load(named: "dark", directories: [directory.path])
    #expect(theme[.title].fg == .index(5))
  }

  @Test func badColourNamesTheFileLineAndKey() throws {
    let directory = try temporaryDirectory()
    let path = directory.appendingPathComponent("broken.toml")
    try "[tab]\nfg = \"blue\"\n\n[cursor]\nbg = \"purpleish\"\n".write(
      to: path, atomically: true, encoding: .utf8)
    let error = try #require(throws: ThemeError.self) {
      try Theme.load(named: "broken", directories: [directory.path])
    }
    #expect(error.description.contains(path.path))
    #expect(error.description.contains(":5"))
    #expect(error.description.contains("cursor.bg"))
    #expect(error.description.contains("purpleish"))
  }

  @Test func unknownSlotAndSyntaxErrorsAreClear() throws {
    #expect(throws: ThemeError.self) {
      try ThemeParser.parse("[cursr]\nfg = \"red\"\n", origin: "x.toml", over: .fallback)
    }
    let syntax = try #require(throws: ThemeError.self) {
      try ThemeParser.parse("[cursor\nfg = red\n", origin: "x.toml", over: .fallback)
    }
    #expect(syntax.description.hasPrefix("theme x.toml:1"))
    #expect(throws: ThemeError.self) {
      try ThemeParser.parse("[cursor]\nbold = \"yes\"\n", origin: "x.toml", over: .fallback)
    }
    #expect(throws: ThemeError.self) {
      try ThemeParser.parse("[cursor]\nfg = 300\n", origin: "x.toml", over: .fallback)
    }
  }

  @Test func unknownThemeNameListsTheBuiltIns() {
    #expect(throws: ThemeError.self) { try Theme.load(named: "neon", directories: []) }
  }

  @Test func colourSyntaxes() {
    #expect(ThemeParser.parseColor("default") == .default)
    #expect(ThemeParser.parseColor("bright_blue") == .index(12))
    #expect(ThemeParser.parseColor("Bright-Red") == .index(9))
    #expect(ThemeParser.parseColor("208") == .index(208))
    #expect(ThemeParser.parseColor("#00ff00") == .rgb(0, 255, 0))
    #expect(ThemeParser.parseColor("#00ff0") == nil)
    #expect(ThemeParser.parseColor("chartreuse") == nil)
  }

  @Test func rgbMapsToTheNearest256ColourEntry() {
    #expect(Color.nearestPaletteIndex(red: 255, green: 0, blue: 0) == 196)
    #expect(Color.nearestPaletteIndex(red: 0, green: 0, blue: 0) == 16)
    #expect(Color.nearestPaletteIndex(red: 0x5f, green: 0xaf, blue: 0xff) == 75)
    #expect(Color.nearestPaletteIndex(red: 128, green: 128, blue: 128) == 244)
  }

  @Test func noColorKeepsOnlyAttributesAndTheCursorStaysVisible() {
    let plain = Theme.fallback.withoutColor()
    for slot in ThemeSlot.allCases {
      #expect(plain[slot].fg == .default)
      #expect(plain[slot].bg == .default)
    }
    #expect(plain[.cursor].reverse)
    #expect(plain[.tabActive].reverse)
  }
}
