import Foundation
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// A private temporary directory holding one config file.
struct ConfigDir {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("orgscope-config-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// Writes `orgscope/config.toml` under this directory (as `$XDG_CONFIG_HOME`) with `mode`.
  @discardableResult
  func write(_ text: String, mode: Int = 0o600) throws -> String {
    let folder = path + "/orgscope"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let file = folder + "/config.toml"
    try text.write(toFile: file, atomically: false, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
    return file
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Expects `body` to throw a configuration error whose text contains every fragment.
func expectConfigurationError(
  containing fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record("expected a configuration error", sourceLocation: sourceLocation)
  } catch let error as OrgScopeError {
    guard case .configuration(let message) = error else {
      Issue.record("expected .configuration, got \(error)", sourceLocation: sourceLocation)
      return
    }
    for fragment in fragments {
      #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    }
    #expect(error.exitCode == 2, sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
  }
}

@Suite struct ConfigTests {
  @Test func asciiIsAFileSetting() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    try dir.write("ascii = true\n[default]\ntheme = \"dark\"\n")
    let configuration = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(configuration.ascii)
    #expect(try !Configuration.load(environment: [:], readFile: false).ascii)
  }

  @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    try dir.write(
      """
      theme = "light"
      [default]
      TWILIO_CLIENT_ID = "from-file"
      cloudflare_organization_id = "org-file"
      sendgrid_api_key = "SG.file"
      """)
    let configuration = try Configuration.load(
      environment: ["XDG_CONFIG_HOME": dir.path, "TWILIO_CLIENT_ID": "from-env"],
      overrides: ["ORGSCOPE_THEME": "mono"])
    #expect(configuration["TWILIO_CLIENT_ID"] == "from-env")
    #expect(configuration["CLOUDFLARE_ORGANIZATION_ID"] == "org-file")
    #expect(configuration.theme == "mono")
    #expect(configuration.file == dir.path + "/orgscope/config.toml")
    #expect(configuration.secrets == ["SG.file"])
    let fileTheme = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(fileTheme.theme == "light")
  }

  @Test func profileTableIsSelectedByName() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    try dir.write(
      """
      [default]
      SENDGRID_REGION = "global"
      [prod]
      SENDGRID_REGION = "eu"
      """)
    let environment = ["XDG_CONFIG_HOME": dir.path]
    #expect(try Configuration.load(environment: environment)["SENDGRID_REGION"] == "global")
    let prod = try Configuration.load(environment: environment, profile: "prod")
    #expect(prod["SENDGRID_REGION"] == "eu")
    #expect(prod.profile == "prod")
    expectConfigurationError(containing: ["no profile [staging]", "default, prod"]) {
      _ = try Configuration.load(environment: environment, profile: "staging")
    }
  }

  @Test func missingDefaultFileIsFineButAnExplicitOneIsNot() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    let configuration = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    #expect(configuration.file == nil)
    #expect(configuration.values.isEmpty)
    expectConfigurationError(containing: ["cannot read", dir.path + "/nope.toml"]) {
      _ = try Configuration.load(environment: [:], configPath: dir.path + "/nope.toml")
    }
    expectConfigurationError(containing: ["profile \"prod\""]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path], profile: "prod")
    }
  }

  @Test func malformedFileNamesFileAndLine() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    let file = try dir.write("[default]\nSENDGRID_API_KEY = \"unterminated\n")
    // TOMLKit's words for a string that runs into the end of the line; the reader adds
    // the file, the line and the key.
    expectConfigurationError(containing: ["\(file):2:", "\"default.SENDGRID_API_KEY\"", "string"]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    }
    try dir.write("[default]\nSENDGRID_API_KYE = \"x\"\n")
    expectConfigurationError(containing: ["\(file):2:", "unknown key \"SENDGRID_API_KYE\""]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    }
  }

  @Test func readableSecretsFileIsRefusedWithTheFix() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    // The secret is in another profile than the one used: the file leaks it all the same.
    let file = try dir.write(
      "[default]\ntheme = \"dark\"\n[prod]\nCLOUDFLARE_API_TOKEN = \"cf\"\n", mode: 0o644)
    expectConfigurationError(containing: ["readable by group or others", "chmod 600 \(file)"]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    }
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
    #expect(try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path]).theme == "dark")
    try dir.write("[default]\ntheme = \"dark\"\n", mode: 0o644)
    #expect(try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path]).theme == "dark")
  }

  @Test func badBaseURLIsAConfigurationError() {
    expectConfigurationError(containing: ["ORGSCOPE_HUAWEI_URL", "plain http", "refused"]) {
      _ = try Configuration.load(
        environment: ["ORGSCOPE_HUAWEI_URL": "http://example.com"], readFile: false)
    }
    expectConfigurationError(containing: ["SENDGRID_REGION must be global or eu"]) {
      _ = try Configuration.load(environment: ["SENDGRID_REGION": "us"], readFile: false)
    }
  }

  @Test func sourcesWithoutCredentialsSayWhatToSet() throws {
    let configuration = try Configuration.load(environment: [:], readFile: false)
    let sources = configuration.makeSources(transport: NoTransport())
    #expect(sources.map(\.source) == SourceID.allCases)
    let hints = sources.compactMap { setup -> String? in
      if case .missing(_, let hint) = setup { return hint }
      return nil
    }
    #expect(hints.count == 6)
    #expect(hints[0].contains("TWILIO_CLIENT_ID") && hints[0].contains("TWILIO_ORGANIZATION_SID"))
    #expect(hints[1].contains("TWILIO_ACCESS_TOKEN"))
    #expect(hints[2].contains("CLOUDFLARE_API_TOKEN") && hints[2].contains("CLOUDFLARE_EMAIL"))
    #expect(hints[3].contains("SENDGRID_API_KEY"))
    #expect(hints[4].contains("HUAWEICLOUD_SDK_AK") && hints[4].contains("HUAWEICLOUD_SDK_SK"))
    #expect(hints[5].contains("TWILIO_CLIENT_ID") && hints[5].contains("TWILIO_ORGANIZATION_SID"))
  }

  @Test func sourcesUseDefaultHostsOverridesAndRegion() throws {
    let configuration = try Configuration.load(
      environment: [
        "TWILIO_ACCESS_TOKEN": "tok", "TWILIO_ORGANIZATION_SID": "OR1",
        "CLOUDFLARE_EMAIL": "a@b.c", "CLOUDFLARE_API_KEY": "cfkey",
        "CLOUDFLARE_ORGANIZATION_ID": "org", "SENDGRID_API_KEY": "SG.x", "SENDGRID_REGION": "EU",
        "HUAWEICLOUD_SDK_AK": "ak", "HUAWEICLOUD_SDK_SK": "sk",
        "ORGSCOPE_HUAWEI_URL": "https://organizations.ap-southeast-1.myhuaweicloud.com/",
      ], readFile: false)
    let clients = configuration.makeSources(transport: NoTransport()).compactMap(\.client)
    #expect(clients.map(\.source) == SourceID.allCases)
    #expect(
      clients.map(\.base.description) == [
        "https://preview-iam.twilio.com", "https://iam.twilio.com",
        "https://api.cloudflare.com/client/v4", "https://api.eu.sendgrid.com",
        "https://organizations.ap-southeast-1.myhuaweicloud.com",
        "https://preview-iam.twilio.com",
      ])
    #expect(Set(configuration.secrets) == ["tok", "cfkey", "SG.x", "sk"])
  }

  @Test func badTwilioOAuthURLOnlyAffectsTwilioTabs() throws {
    let configuration = Configuration(values: [
      "TWILIO_CLIENT_ID": "id", "TWILIO_CLIENT_SECRET": "secret",
      "ORGSCOPE_TWILIO_OAUTH_URL": "not a url", "SENDGRID_API_KEY": "SG.x",
    ])
    let sources = configuration.makeSources(transport: NoTransport())
    #expect(sources[1].client == nil)
    #expect(sources[3].client != nil)
  }

  /// The whole chain for real: sandbox environment -> configuration -> sources -> transport,
  /// with Twilio OAuth and Huawei signing checked by the sandbox.
  @Test func sandboxEnvironmentConfiguresEverySourceAndEachLoads() async throws {
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: 30, roles: 12))
    let transport = HTTPClientTransport(environment: [:])
    do {
      let configuration = try Configuration.load(
        environment: sandbox.environment, readFile: false)
      let redactor = Redactor(secrets: configuration.secrets)
      for setup in configuration.makeSources(transport: transport, redactor: redactor) {
        let client = try #require(setup.client, "\(setup.source) is not configured")
        let page = try await client.fetchPage(query: Query(), cursor: nil)
        #expect(!page.records.isEmpty, "\(setup.source) returned no records")
      }
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

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

// MARK: - hardening: hostile input, each test named after what the trial did

/// Issue 22, finding 6: the low items of the second trial.
@Suite struct HardeningLowTests {
  /// `http://evil.localhost` counted as loopback (plain http allowed, no proxy) although
  /// the system may send the name to DNS.
  @Test func aLocalhostNameIsLoopbackOnlyWhenItResolvesToLoopbackAlone() throws {
    let parts = try #require(URLParts("http://evil.localhost:8080/x"))
    #expect(!parts.isLoopback(resolving: { _ in ["93.184.216.34"] }))
    #expect(!parts.isLoopback(resolving: { _ in ["127.0.0.1", "10.0.0.1"] }))
    #expect(!parts.isLoopback(resolving: { _ in [] }))
    #expect(parts.isLoopback(resolving: { _ in ["127.0.0.1", "::1"] }))
    #expect(parts.isLoopback(resolving: { _ in ["::1"] }))
    #expect(!ProxySettings.isLoopback("evil.localhost"))
    #expect(ProxySettings.isLoopback("localhost"))
  }

  /// What made the name loopback is what is connected to: the resolved address, with the
  /// name in the Host header.
  @Test func aLoopbackLocalhostNameIsPinnedToItsAddress() throws {
    let pin = try #require(
      LoopbackName.pinned("http://api.localhost:8080/v1/x?a=b", resolving: { _ in ["127.0.0.1"] }))
    #expect(pin.url == "http://127.0.0.1:8080/v1/x?a=b")
    #expect(pin.host == "api.localhost:8080")
    #expect(LoopbackName.pinned("http://api.localhost/", resolving: { _ in ["8.8.8.8"] }) == nil)
    #expect(LoopbackName.pinned("http://localhost:1/", resolving: { _ in ["127.0.0.1"] }) == nil)
  }

  /// An invalid base URL was echoed with its `user:pass@`.
  @Test func anInvalidBaseURLIsNeverEchoedWithItsUserinfo() throws {
    for text in [
      "https://admin:s3cretpass@api.example.com/x?y", "https://admin:s3cretpass@[::1",
      "ftp://admin:s3cretpass@host/",
    ] {
      #expect {
        _ = try BaseURL.parse(text, source: .cloudflare)
      } throws: { error in
        let message = (error as? OrgScopeError)?.description ?? ""
        return !message.contains("s3cretpass") && !message.contains("admin")
          && message.contains("invalid base URL")
      }
    }
    #expect {
      _ = try Configuration.load(
        environment: ["CLOUDFLARE_BASE_URL": "https://admin:s3cretpass@api.example.com/?q"],
        readFile: false)
    } throws: { error in
      !"\(error)".contains("s3cretpass")
    }
  }

  /// A name holding the text `\u{202E}` printed like the escaped control character itself.
  @Test func aBackslashIsEscapedInVisibleText() {
    #expect(Sanitizer.visible(#"a\u{202E}b"#) == #"a\\u{202E}b"#)
    #expect(Sanitizer.visible("a\u{202E}b") == #"a\u{202E}b"#)
    #expect(Sanitizer.visible(#"DOMAIN\user"#) == #"DOMAIN\\user"#)
    #expect(Sanitizer.visible("plain") == "plain")
  }
}
