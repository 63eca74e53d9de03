import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// Issue 15's reproductions, run as the built binary against the sandbox.
@Suite(.serialized) struct HardeningCLITests {
  static let options = SandboxOptions(accounts: 300, roles: 40)

  /// `export CLOUDFLARE_API_TOKEN=$(cat token.txt)` from a CRLF file: trimmed, it works.
  @Test func aCredentialWithATrailingCRLFIsTrimmedAndWorks() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let token = fixture.environment["CLOUDFLARE_API_TOKEN"]!
    let result = try await fixture.run(
      ["list", "cloudflare", "--max", "3", "--format", "ndjson"],
      extra: ["CLOUDFLARE_API_TOKEN": token + "\r\n"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").count == 3)
  }

  /// The trial printed `HTTPClientError.invalidHeaderFieldValues(["Bearer <token>\r"])`.
  @Test func aCredentialWithACRInsideIsOneLineThatNeverShowsIt() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let token = fixture.environment["CLOUDFLARE_API_TOKEN"]!
    let result = try await fixture.run(
      ["list", "cloudflare"], extra: ["CLOUDFLARE_API_TOKEN": token + "\rmore"])
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("CLOUDFLARE_API_TOKEN"))
    #expect(!result.stderr.contains(token))
    #expect(!result.stderr.contains(String(token.prefix(8))))
  }

  /// No format lets a hostile tenant name act on the terminal: no ESC, BEL, C1 control or
  /// bidi control reaches stdout raw, for any source.
  @Test func everyFormatIsDisplaySafe() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    var sawHostile = false
    for source in [SourceID.cloudflare, .huawei, .twilioAccounts] {
      for format in OutputFormat.allCases {
        let result = try await fixture.run(["list", source.rawValue, "--format", format.rawValue])
        #expect(result.status == 0, "\(source) \(format): \(result.stderr)")
        // Line ends, and tabs inside quoted CSV cells, are the only controls left.
        let unsafe = result.stdout.unicodeScalars.first { scalar in
          scalar != "\n" && scalar != "\r" && scalar != "\t" && !Sanitizer.keeps(scalar)
        }
        #expect(unsafe == nil, "\(source) \(format): U+\(String(unsafe?.value ?? 0, radix: 16))")
        if format == .ndjson {
          sawHostile = sawHostile || result.stdout.contains(#"\u001b"#)
          // Still exact data: every line parses.
          for line in result.stdout.split(separator: "\n") {
            #expect(throws: Never.self) { try JSONParser.parse(Array(line.utf8)) }
          }
        }
        if format == .csv { sawHostile = sawHostile || result.stdout.contains(#"\x1b"#) }
      }
    }
    #expect(sawHostile, "the sandbox data should hold hostile names")
  }

  @Test func aLogFileThatIsASymlinkIsRefusedWithExitTwo() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let target = fixture.home + "/victim"
    #expect(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
    let link = fixture.home + "/orgscope.log"
    #expect(symlink(target, link) == 0)
    let result = try await fixture.run(["list", "cloudflare", "--max", "1", "--log-file", link])
    #expect(result.status == 2)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("symbolic link"))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
  }

  @Test func anUnusableProxyVariableIsAnErrorNotADirectConnection() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let result = try await fixture.run(
      ["list", "cloudflare", "--max", "1"],
      extra: ["HTTPS_PROXY": "socks5://user:proxypass@proxy.example:1080"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("HTTPS_PROXY"), "\(result.stderr)")
    #expect(!result.stderr.contains("proxypass"))
  }

  @Test func aDeeplyNestedConfigIsAnErrorNotACrash() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    let dir = fixture.home + "/.config/orgscope"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/config.toml"
    let text = "[default]\ntheme = " + String(repeating: "[", count: 50_000) + "\n"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    chmod(path, 0o600)
    let result = try await fixture.run(["list", "cloudflare", "--max", "1"])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("nested more than"))
  }

  /// `--max` counts requests too: a local search that matches nothing stops after `--max`
  /// page requests, with a note, instead of reading the whole list.
  @Test func maxBoundsThePageRequests() async throws {
    let fixture = try await SandboxFixture.start(Self.options)
    defer { Task { await fixture.stop() } }
    await fixture.sandbox.clearRequestLog()
    let result = try await fixture.run([
      "list", "sendgrid", "--search", "no-such-name-anywhere", "--max", "2", "--format", "ndjson",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let pages = await fixture.sandbox.requestLog.filter { $0.path.hasSuffix("/partners/accounts") }
    #expect(pages.count <= 2)
    #expect(result.stderr.contains("--max 2 bounds requests too") || pages.count < 2)
  }
}
