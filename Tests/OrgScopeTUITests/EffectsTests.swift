import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeTUI

@Suite struct EffectsTests {
  @Test func osc52CarriesTheIdInBase64() {
    #expect(Effects.osc52("AC123", tmux: false) == "\u{1B}]52;c;QUMxMjM=\u{07}")
  }

  @Test func osc52IsWrappedForTmux() {
    #expect(
      Effects.osc52("AC123", tmux: true) == "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;QUMxMjM=\u{07}\u{1B}\\")
  }

  @Test func csvExportNeutralisesFormulas() throws {
    let record = Fixtures.account(1, name: "=HYPERLINK(\"http://evil\")")
    let text = Effects.exportText(
      ExportRequest(format: .csv, source: .cloudflare, records: [record]))
    #expect(text.contains("'=HYPERLINK"))
    #expect(!text.contains(",=HYPERLINK"))
  }

  @Test func exportWritesAPrivateFileInTheDirectoryAndNeverOverwrites() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("orgscope-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let request = ExportRequest(
      format: .json, source: .cloudflare, records: [Fixtures.account(1), Fixtures.account(2)])
    let date = Date(timeIntervalSince1970: 1_700_000_000)
    let first = try Effects.export(request, directory: directory.path, date: date)
    let second = try Effects.export(request, directory: directory.path, date: date)
    #expect(first.hasSuffix("orgscope-cloudflare-20231114-221320.json"))
    #expect(first != second)
    let parsed = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: first))))
    #expect(parsed.array?.count == 2)
    let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }

  /// What the terminal backend sends for a cell: a cluster whose scalars a terminal would
  /// place wider or narrower than it was laid out goes as its first scalar, padded.
  @Test func terminalTextKeepsColumnsWhereScalarsWouldNot() {
    #expect(DisplayWidth.terminalText("a") == "a")
    #expect(DisplayWidth.terminalText("e\u{0301}") == "e\u{0301}")
    #expect(DisplayWidth.terminalText("👩\u{200D}💻") == "👩")
    #expect(DisplayWidth.terminalText("❤\u{FE0F}") == "❤ ")
    #expect(DisplayWidth.terminalText("🇯🇵") == "🇯🇵")
    for text in ["👩\u{200D}💻", "❤\u{FE0F}", "e\u{0301}", "東"] {
      let sent = DisplayWidth.terminalText(text)
      let placed = sent.unicodeScalars.reduce(0) { $0 + DisplayWidth.of(scalar: $1) }
      #expect(placed == DisplayWidth.of(text), "\(text)")
    }
  }
}
