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

  @Test func terminalStandInKeepsColumnsWhenLibcDisagrees() {
    #expect(Terminal.safeText("a", cells: 1) == "a")
    #expect(Terminal.safeText("\u{E000}\u{E001}", cells: 2).count <= 2)
  }
}
