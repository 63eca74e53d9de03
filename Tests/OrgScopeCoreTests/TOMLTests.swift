import Testing

@testable import OrgScopeCore

@Suite struct TOMLTests {
  @Test func parsesProfilesWithCommentsAndKeepsKeyOrder() throws {
    let table = try TOML.parse(
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
    let table = try TOML.parse(#"s = "tab\tquote\"back\\nl\nu\u00e9U\U0001F600""#)
    #expect(table["s"]?.string == "tab\tquote\"back\\nl\nuéU😀")
  }

  @Test func dottedKeysAndNestedHeadersBuildTables() throws {
    let table = try TOML.parse(
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
    let table = try TOML.parse(
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
    let table = try TOML.parse(
      "a = \"\"\"\nline one\nline \\\n    two\"\"\"\nb = '''\nC:\\raw\\path'''\n")
    #expect(table["a"]?.string == "line one\nline two")
    #expect(table["b"]?.string == "C:\\raw\\path")
  }

  @Test func emptyDocumentAndWindowsLineEndings() throws {
    #expect(try TOML.parse("").isEmpty)
    let table = try TOML.parse("[default]\r\nkey = \"v\"\r\n")
    #expect(table["default"]?.table?["key"]?.string == "v")
  }

  @Test(arguments: [
    ("a = \"open", 1, "unterminated string"),
    ("\n\nkey value", 3, "expected \"=\""),
    ("a = 1\na = 2", 2, "duplicate key \"a\" (first set on line 1)"),
    ("[t]\n[t]", 2, "defined twice"),
    ("a = hello", 1, "strings need quotes"),
    ("a = \"x\" b", 1, "expected the end of the line"),
    ("a = \"\\q\"", 1, "invalid escape"),
    ("a = [1, 2", 1, "unterminated array"),
    ("[[servers]]", 1, "arrays of tables"),
    ("a = 1\na.b = 2", 2, "already a value"),
    ("d = 2024-01-01", 1, "dates are not supported"),
    ("a = 012", 1, "invalid value"),
  ])
  func malformedInputSaysLineAndWhat(text: String, line: Int, message: String) {
    do {
      _ = try TOML.parse(text, file: "/tmp/config.toml")
      Issue.record("expected an error for \(text)")
    } catch let error as TOMLError {
      #expect(error.line == line)
      #expect(error.message.contains(message), "\(error.message)")
      #expect(error.description.hasPrefix("/tmp/config.toml:\(line): "))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
