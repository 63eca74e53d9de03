import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// `orgscope list` and `orgscope roles`, run as the built binary against the sandbox.
@Suite(.serialized) struct CLITests {
  func ids(_ ndjson: String, key: String) throws -> [String] {
    try ndjson.split(separator: "\n").map { line in
      let value = try JSONParser.parse(Array(line.utf8))
      return value.object?[key]?.string ?? ""
    }
  }

  @Test func listsEverySourceToTheEndExactlyOnce() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let idKeys: [SourceID: String] = [
      .twilioAccounts: "account_sid", .twilioRoles: "sid", .cloudflare: "id", .sendgrid: "id",
      .huawei: "id", .twilioUsers: "id",
    ]
    for source in SourceID.allCases {
      let result = try await fixture.run(["list", source.rawValue, "--format", "ndjson"])
      #expect(result.status == 0, "\(source): \(result.stderr)")
      let list = try ids(result.stdout, key: idKeys[source]!)
      let expected = source == .twilioRoles || source == .twilioUsers ? 150 : 1200
      #expect(list.count == expected, "\(source)")
      #expect(Set(list).count == list.count, "\(source) repeats a record")
      #expect(!list.contains(""), "\(source)")
      for secret in fixture.secrets {
        #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
      }
    }
  }

  @Test func cloudflareSearchReturnsExactlyTheServerMatches() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let all = try await fixture.run(["list", "cloudflare", "--format", "ndjson"])
    let records = try all.stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    for (needle, match) in [("an", "contains"), ("s", "starts-with"), ("ltd", "ends-with")] {
      let expected = records.filter { record in
        let name = (record.object?["name"]?.string ?? "").lowercased()
        switch match {
        case "contains": return name.contains(needle)
        case "starts-with": return name.hasPrefix(needle)
        default: return name.hasSuffix(needle)
        }
      }.compactMap { $0.object?["id"]?.string }
      let result = try await fixture.run([
        "list", "cloudflare", "--search", needle, "--match", match, "--format", "ndjson",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      let got = try ids(result.stdout, key: "id")
      #expect(Set(got) == Set(expected), "\(match) \(needle)")
      #expect(got.count == expected.count)
      #expect(!expected.isEmpty, "the sandbox should have names matching \(match) \(needle)")
    }
    let searched = await fixture.sandbox.requestLog.filter {
      $0.path.hasSuffix("/accounts") && $0.path.contains("/client/v4/")
        && $0.rawQuery.contains("name.contains=an")
    }
    #expect(!searched.isEmpty, "the search must go to the server as name.contains")
  }

  @Test func localSearchFiltersSourcesWithoutServerSearch() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let all = try await fixture.run(["list", "huawei", "--format", "ndjson"])
    let names = try all.stdout.split(separator: "\n").compactMap {
      try JSONParser.parse(Array($0.utf8)).object?["name"]?.string
    }
    let needle = String(names[7].prefix(4)).lowercased()
    let expected = names.filter { $0.lowercased().contains(needle) }
    let result = try await fixture.run(["list", "huawei", "--search", needle, "--format", "ndjson"])
    #expect(result.status == 0)
    #expect(try ids(result.stdout, key: "name").sorted() == expected.sorted())
    let limited = try await fixture.run(["list", "huawei", "--max", "5", "--format", "ndjson"])
    #expect(limited.stdout.split(separator: "\n").count == 5)
  }

  @Test func tableFitsTheTerminalWidth() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    for width in [60, 80, 132] {
      // On a terminal the table fits it (in a pipe every cell is whole: see below).
      let result = try await Binary.runInTerminal(
        ["list", "cloudflare", "--max", "300"],
        environment: fixture.environment.merging(["COLUMNS": String(width)]) { _, new in new })
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.count == 301)
      for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line)") }
      #expect(!result.stdout.contains("\u{1B}"), "escape sequences must never reach the terminal")
    }
  }

  @Test func csvNeutralisesFormulasAndJSONIsAnArray() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let csv = try await fixture.run(["list", "sendgrid", "--max", "50", "--format", "csv"])
    #expect(csv.status == 0)
    #expect(csv.stdout.hasPrefix("id,"))
    #expect(csv.stdout.split(separator: "\r\n").count == 51)
    let json = try await fixture.run(["list", "twilio-roles", "--max", "3", "--format", "json"])
    #expect(try JSONParser.parse(Array(json.stdout.utf8)).array?.count == 3)
  }

  @Test func wrongCredentialsExitOneWithOneLineAndNoSecret() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let cases: [(SourceID, [String: String])] = [
      (.cloudflare, ["CLOUDFLARE_API_TOKEN": "wrong-token-123456"]),
      (.sendgrid, ["SENDGRID_API_KEY": "SG.wrong-key-123456"]),
      (.huawei, ["HUAWEICLOUD_SDK_SK": "wrong-secret-123456"]),
      (.twilioAccounts, ["TWILIO_CLIENT_SECRET": "wrong-secret-654321"]),
    ]
    for (source, env) in cases {
      let result = try await fixture.run(["list", source.rawValue], extra: env)
      #expect(result.status == 1, "\(source): \(result.stderr)")
      let lines = result.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(source): \(result.stderr)")
      #expect(result.stderr.contains(source.providerName))
      #expect(result.stderr.contains("HTTP 40"))
      for value in env.values { #expect(!result.stderr.contains(value)) }
      for secret in fixture.secrets { #expect(!result.stderr.contains(secret)) }
    }
  }

  @Test func unknownOrganizationIsA404Line() async throws {
    let fixture = try await SandboxFixture.start()
    defer { Task { await fixture.stop() } }
    let result = try await fixture.run(
      ["list", "twilio-accounts"],
      extra: ["TWILIO_ORGANIZATION_SID": "OR" + String(repeating: "0", count: 32)])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Twilio: HTTP 404"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test func faultsGiveOneClearLineOrSucceedAfterRetry() async throws {
    let fixture = try await SandboxFixture.start(
      SandboxOptions(
        accounts: 300, roles: 20,
        faults: [
          try SandboxFault(parsing: "cloudflare:html500"),
          try SandboxFault(parsing: "sendgrid:truncated"),
          try SandboxFault(parsing: "huawei:429:1:once"),
        ]))
    defer { Task { await fixture.stop() } }
    let html = try await fixture.run(["list", "cloudflare"])
    #expect(html.status == 1)
    #expect(html.stderr.contains("Cloudflare: HTTP 500"), "\(html.stderr)")
    #expect(!html.stderr.contains("<html"), "no HTML page dumped: \(html.stderr)")
    #expect(html.stderr.split(separator: "\n").count == 1)
    let truncated = try await fixture.run(["list", "sendgrid"])
    #expect(truncated.status == 1)
    #expect(truncated.stderr.contains("SendGrid"))
    #expect(truncated.stderr.split(separator: "\n").count == 1)
    let limited = try await fixture.run(["list", "huawei", "--format", "ndjson"])
    #expect(limited.status == 0, "\(limited.stderr)")
    #expect(limited.stdout.split(separator: "\n").count == 300)
  }

  @Test func usageAndConfigurationErrorsExitTwo() async throws {
    let home = try Binary.scratchHome()
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = Binary.baseEnvironment(home: home)
    let unknown = try await Binary.run(["list", "nowhere"], environment: env)
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("unknown source"))
    let missing = try await Binary.run(["list", "cloudflare"], environment: env)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("CLOUDFLARE_API_TOKEN"))
    let badFlag = try await Binary.run(
      ["list", "sendgrid", "--parent-id", "ou-1"], environment: env)
    #expect(badFlag.status == 2)
    let version = try await Binary.run(["--version"], environment: env)
    #expect(version.status == 0)
  }

  @Test func commandLineHelpAndUsageErrors() async throws {
    let home = try Binary.scratchHome()
    defer { try? FileManager.default.removeItem(atPath: home) }
    let env = Binary.baseEnvironment(home: home)
    // Help goes to stdout with status 0; the root's shows the default command's --demo.
    let root = try await Binary.run(["--help"], environment: env)
    #expect(root.status == 0)
    #expect(root.stdout.contains("USAGE: orgscope"))
    #expect(root.stdout.contains("--demo"))
    for sub in ["list", "roles", "sandbox"] { #expect(root.stdout.contains("  \(sub) ")) }
    let list = try await Binary.run(["list", "-h"], environment: env)
    #expect(list.status == 0)
    #expect(list.stdout.contains("<source>") && list.stdout.contains("--with-contact-info"))
    #expect(!list.stdout.contains("--version"))
    let diff = try await Binary.run(["roles", "diff", "--help"], environment: env)
    #expect(diff.stdout.contains("USAGE: orgscope roles diff <first> <second>"))
    #expect(try await Binary.run(["--version"], environment: env).stdout == "0.1.0\n")

    // Each mistake: status 2, the reason, and where help is, on two lines of stderr.
    let mistakes: [([String], String, String)] = [
      (["list", "huawei", "--bogus"], "unknown option \"--bogus\"", "orgscope list --help"),
      (["list", "huawei", "--max", "ten"], "--max takes a whole number", "orgscope list --help"),
      (["list", "huawei", "--format=xml"], "one of table, json, ndjson, csv", "orgscope list"),
      (["list"], "missing <source>", "orgscope list --help"),
      (["list", "huawei", "sendgrid"], "unexpected argument \"sendgrid\"", "orgscope list"),
      (["list", "huawei", "--max"], "--max needs a value", "orgscope list --help"),
      (["list", "huawei", "--with-contact-info=yes"], "takes no value", "orgscope list"),
      (["roles"], "one of grants, diff, matrix", "orgscope roles --help"),
      (["roles", "diff", "a"], "missing <second>", "orgscope roles diff --help"),
      (["frob"], "unknown command \"frob\"", "orgscope --help"),
      (["--demo", "--bogus"], "unknown option", "orgscope browse --help"),
      (["sandbox", "--seed", "-1"], "--seed takes a whole number", "orgscope sandbox"),
      (["list", "huawei", "--\u{1b}[2Jx"], "unknown option", "orgscope list"),
    ]
    for (arguments, reason, hint) in mistakes {
      let result = try await Binary.run(arguments, environment: env)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("see: " + hint), "\(arguments): \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 2, "\(arguments): \(result.stderr)")
      #expect(!result.stderr.contains("\u{1b}"), "\(arguments)")
      #expect(result.stdout.isEmpty, "\(arguments)")
    }

    // `--name=value`, `--` before an argument that starts with a dash, and a value that
    // starts with a dash all reach the command (which then names the unknown source).
    let dashed = try await Binary.run(["list", "--format=json", "--", "-odd"], environment: env)
    #expect(dashed.status == 2)
    #expect(dashed.stderr.contains("unknown source \"-odd\""))
    let search = try await Binary.run(
      ["list", "nowhere", "--search", "-x", "--search", "last"], environment: env)
    #expect(search.stderr.contains("unknown source \"nowhere\""))
  }

  @Test func aPortInUseSaysHowToChooseAnother() async throws {
    let fixture = try await SandboxFixture.start(SandboxOptions(accounts: 1, roles: 1))
    defer { Task { await fixture.stop() } }
    let result = try await fixture.run(["sandbox", "--port", String(fixture.sandbox.port)])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "orgscope: port \(fixture.sandbox.port) is in use: choose another with --port, or --port 0 for any free port\n"
    )
  }

  @Test func aPipedTableKeepsEveryCellWhole() async throws {
    let fixture = try await SandboxFixture.start(SandboxOptions(accounts: 300, roles: 20))
    defer { Task { await fixture.stop() } }
    for (source, key) in [("sendgrid", "email"), ("twilio-roles", "lowest_level")] {
      let ndjson = try await fixture.run(["list", source, "--format", "ndjson"])
      let values = try ndjson.stdout.split(separator: "\n").compactMap {
        try JSONParser.parse(Array($0.utf8)).object?[key]?.string
      }
      let longest = try #require(values.max { $0.count < $1.count })
      // Whatever COLUMNS says, a pipe gets every cell whole: grep finds it.
      let table = try await fixture.run(["list", source], extra: ["COLUMNS": "60"])
      #expect(table.status == 0, "\(table.stderr)")
      #expect(table.stdout.contains(longest), "\(source): \(longest)")
      #expect(!table.stdout.contains("…"))
      #expect(
        table.stdout.split(separator: "\n").count == ndjson.stdout.split(separator: "\n").count + 1)
    }
  }

  @Test func whereFiltersByAnyFieldAndSaysWhatItCannotRead() async throws {
    let fixture = try await SandboxFixture.start(SandboxOptions(accounts: 400, roles: 20))
    defer { Task { await fixture.stop() } }
    let all = try await fixture.run(["list", "cloudflare", "--format", "ndjson"])
    let records = try all.stdout.split(separator: "\n").map {
      try JSONParser.parse(Array($0.utf8)).object!
    }
    let expected = records.filter {
      $0[path: "settings", "enforce_twofactor"]?.bool == false
        && $0["type"]?.string != "standard"
    }.compactMap { $0["id"]?.string }
    #expect(!expected.isEmpty)
    let result = try await fixture.run([
      "list", "cloudflare", "--where", "settings.enforce_twofactor=false type!=standard",
      "--format", "ndjson",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try ids(result.stdout, key: "id") == expected)
    let bad = try await fixture.run(["list", "cloudflare", "--where", "type=x statusactive"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("cannot read \"statusactive\""))
  }

  @Test func whereNamesAFieldNoRecordHasAndExitsTwoAfterTheRecords() async throws {
    let fixture = try await SandboxFixture.start(SandboxOptions(accounts: 300, roles: 20))
    defer { Task { await fixture.stop() } }
    let misspelt = try await fixture.run([
      "list", "huawei", "--where", "stauts=suspended", "--format", "ndjson",
    ])
    #expect(misspelt.status == 2)
    #expect(misspelt.stdout.isEmpty)
    #expect(
      misspelt.stderr.contains(
        #"usage: --where: no record has a field "stauts"; did you mean "status"?"#),
      "\(misspelt.stderr)")
    // What matched is written first; the status still says the filter was wrong.
    let everything = try await fixture.run([
      "list", "huawei", "--where", "stauts!=suspended", "--format", "ndjson",
    ])
    #expect(everything.status == 2)
    #expect(everything.stdout.split(separator: "\n").count == 300)
    #expect(everything.stderr.contains(#"no record has a field "stauts""#))
    // `==` is `=`, as in kubectl's field selectors.
    let single = try await fixture.run([
      "list", "huawei", "--where", "status=suspended", "--format", "ndjson",
    ])
    let double = try await fixture.run([
      "list", "huawei", "--where", "status==suspended", "--format", "ndjson",
    ])
    #expect(single.status == 0 && double.status == 0, "\(double.stderr)")
    #expect(!single.stdout.isEmpty)
    #expect(double.stdout == single.stdout)
    // Any other operator is a usage error before anything is fetched.
    let regex = try await fixture.run(["list", "huawei", "--where", "status=~susp"])
    #expect(regex.status == 2)
    #expect(regex.stdout.isEmpty)
    #expect(
      regex.stderr.contains(
        #""=~" is not an operator; use field=value (or ==), field!=value or field~text"#),
      "\(regex.stderr)")
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

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
