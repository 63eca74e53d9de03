import Testing

@testable import OrgScopeCore

@Suite struct TOMLTests {
  @Test func parsesProfilesWithCommentsAndKeepsKeyOrder() throws {
    let table = try TOMLReader.parse(
      """
      # orgscope config
      theme = "dark"  # the default theme

      [default]
      TWILIO_CLIENT_ID = "OQ123"
      cloudflare_api_token = 'raw\\token'

      [prod]
      sendgrid_region = "eu"
      """)
    #expect(table.keys == ["theme", "default", "prod"])
    #expect(table["theme"]?.string == "dark")
    let profile = try #require(table["default"]?.table)
    #expect(profile.keys == ["TWILIO_CLIENT_ID", "cloudflare_api_token"])
    #expect(profile["cloudflare_api_token"]?.string == "raw\\token")
    #expect(profile.line(of: "TWILIO_CLIENT_ID") == 5)
    #expect(table["prod"]?.table?["sendgrid_region"]?.string == "eu")
  }

  @Test func basicStringEscapesAreDecoded() throws {
    let table = try TOMLReader.parse(#"s = "tab\tquote\"back\\nl\nu\u00e9U\U0001F600""#)
    #expect(table["s"]?.string == "tab\tquote\"back\\nl\nuéU😀")
  }

  @Test func dottedKeysAndNestedHeadersBuildTables() throws {
    let table = try TOMLReader.parse(
      """
      [colors.tab]
      fg = "white"
      [colors]
      list.fg = "default"
      "quoted key".x = 1
      """)
    let colors = try #require(table["colors"]?.table)
    #expect(colors["tab"]?.table?["fg"]?.string == "white")
    #expect(colors["list"]?.table?["fg"]?.string == "default")
    #expect(colors["quoted key"]?.table?["x"]?.integer == 1)
  }

  @Test func scalarsArraysAndInlineTables() throws {
    let table = try TOMLReader.parse(
      """
      a = 42
      b = -1_000
      c = 0xff
      d = true
      e = false
      f = 1.5
      g = [1, 2,
        3, # trailing comma next
      ]
      h = { fg = "red", bold = true }
      i = []
      """)
    #expect(table["a"]?.integer == 42)
    #expect(table["b"]?.integer == -1000)
    #expect(table["c"]?.integer == 255)
    #expect(table["d"]?.boolean == true)
    #expect(table["e"]?.boolean == false)
    #expect(table["f"] == .float(1.5))
    #expect(table["g"]?.array == [.integer(1), .integer(2), .integer(3)])
    #expect(table["h"]?.table?["fg"]?.string == "red")
    #expect(table["h"]?.table?["bold"]?.boolean == true)
    #expect(table["i"]?.array == [])
  }

  @Test func multilineStrings() throws {
    let table = try TOMLReader.parse(
      "a = \"\"\"\nline one\nline \\\n    two\"\"\"\nb = '''\nC:\\raw\\path'''\n")
    #expect(table["a"]?.string == "line one\nline two")
    #expect(table["b"]?.string == "C:\\raw\\path")
  }

  @Test func emptyDocumentAndWindowsLineEndings() throws {
    #expect(try TOMLReader.parse("").isEmpty)
    let table = try TOMLReader.parse("[default]\r\nkey = \"v\"\r\n")
    #expect(table["default"]?.table?["key"]?.string == "v")
  }

  /// TOMLKit reads the file and says what is wrong; the reader adds the file, the line and
  /// the key (when the error is in a key's value), keeps it on one line, and never quotes
  /// the file's text (it may be a secret).
  @Test(
    arguments: [
      ("[default]\nCLOUDFLARE_API_TOKEN = \"open", 2, "default.CLOUDFLARE_API_TOKEN"),
      ("\n\nkey value", 3, nil),
      ("a = 1\na = 2", 2, "a"),
      ("[t]\n[t]", 2, "t"),
      ("a = hello", 1, "a"),
      ("a = \"x\" b", 1, "a"),
      ("a = \"\\q\"", 1, "a"),
      ("a = [1, 2", 1, "a"),
      ("a = 1\na.b = 2", 2, "a.b"),
      ("a = 012", 1, "a"),
    ] as [(String, Int, String?)])
  func malformedInputSaysFileLineAndKey(text: String, line: Int, key: String?) {
    do {
      _ = try TOMLReader.parse(text, file: "/tmp/config.toml")
      Issue.record("expected an error for \(text)")
    } catch {
      #expect(error.line == line, "\(error)")
      #expect(error.description.hasPrefix("/tmp/config.toml:\(line): "), "\(error)")
      #expect(error.key?.joined(separator: ".") == key, "\(error)")
      #expect(!error.description.contains("\n"))
      #expect(!error.description.contains("hello") && !error.description.contains("012"))
      #expect(error.message.count > 10, "\(error)")
    }
  }

  /// What TOMLKit reads but orgscope refuses, as the hand-written parser did.
  @Test func datesAndNULEscapesAreRefusedWithTheKey() {
    for (text, message) in [
      ("[default]\nd = 2024-01-01", "dates are not supported; quote the value"),
      ("[default]\nd = \"a\\u0000b\"", "NUL"),
    ] {
      do {
        _ = try TOMLReader.parse(text, file: "/tmp/config.toml")
        Issue.record("expected an error for \(text)")
      } catch {
        #expect(error.description.hasPrefix("/tmp/config.toml:2: key \"default.d\": "))
        #expect(error.message.contains(message), "\(error)")
      }
    }
  }

  /// Through the config loader: a syntax error names the file and line, and an array of
  /// tables (which TOMLKit reads) is an unknown key rather than a profile.
  @Test func theConfigLoaderNamesFileLineAndKey() throws {
    let dir = try ConfigDir()
    defer { dir.remove() }
    let file = try dir.write("[default]\ntheme = \"dark\"\n\n[[servers]]\nname = \"x\"\n")
    expectConfigurationError(containing: ["\(file):4:", "unknown key \"servers\""]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    }
    try dir.write("[default]\ntheme = \"dark\"\nSENDGRID_REGION = [\"eu\"]\n")
    expectConfigurationError(containing: ["\(file):3:", "\"SENDGRID_REGION\" must be a string"]) {
      _ = try Configuration.load(environment: ["XDG_CONFIG_HOME": dir.path])
    }
  }
}
