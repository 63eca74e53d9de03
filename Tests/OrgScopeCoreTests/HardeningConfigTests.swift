import Foundation
import Testing

@testable import OrgScopeCore

/// Issue 15, finding 6: the config file.
@Suite struct HardeningConfigTests {
  // MARK: 5. Config file

  @Test(arguments: [
    "a = " + String(repeating: "[", count: 50_000),
    "a = " + String(repeating: "{b = ", count: 50_000),
    String(repeating: "a.", count: 50_000) + "b = 1",
    "[" + String(repeating: "t.", count: 50_000) + "t]",
  ])
  func deeplyNestedTOMLIsAnErrorNotACrash(text: String) {
    do {
      _ = try TOMLReader.parse(text, file: "/tmp/config.toml")
      Issue.record("accepted 50,000 levels")
    } catch {
      #expect(error.message.contains("nested"), "\(error.message)")
      #expect(error.description.hasPrefix("/tmp/config.toml:1: "), "\(error)")
    }
  }

  @Test func aParseErrorNamesFileLineAndKeyButNeverTheValue() throws {
    let cases = [
      "[default]\nCLOUDFLARE_API_TOKEN = unquotedsecretvalue\n",
      "[default]\nCLOUDFLARE_API_TOKEN = \"quotedsecretvalue\" trailingsecretvalue\n",
      "[default]\nCLOUDFLARE_API_TOKEN = 2024-01-01secretvalue\n",
      "[default]\nCLOUDFLARE_API_TOKEN = \"bad\\qsecretvalue\"\n",
      "[default]\nCLOUDFLARE_API_TOKEN = [\"a\" secretvalue]\n",
    ]
    for text in cases {
      let path = try Scratch.configFile(text)
      defer { try? FileManager.default.removeItem(atPath: path) }
      do {
        _ = try Configuration.load(environment: [:], configPath: path)
        Issue.record("accepted \(text)")
      } catch let error as OrgScopeError {
        let message = error.description
        #expect(message.contains("\(path):2"), "\(message)")
        #expect(message.contains("default.CLOUDFLARE_API_TOKEN"), "\(message)")
        #expect(!message.contains("secretvalue"), "\(message)")
        #expect(error.exitCode == 2)
      }
    }
  }

  /// The mode is checked before the file is parsed: a readable file naming a secret is
  /// refused as such, not with a parse error that would quote it.
  @Test func theModeIsCheckedBeforeParsing() throws {
    let path = try Scratch.configFile(
      "[default]\nCLOUDFLARE_API_TOKEN = unquotedsecretvalue\n", mode: 0o644)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try Configuration.load(environment: [:], configPath: path)
      Issue.record("accepted a readable file")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("chmod 600"), "\(error.description)")
      #expect(!error.description.contains("secretvalue"))
    }
  }
}
