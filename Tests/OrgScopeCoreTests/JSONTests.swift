import Testing

@testable import OrgScopeCore

@Suite struct JSONTests {
  @Test func parsingKeepsKeyOrderAndNumberText() throws {
    let value = try JSONParser.parse(#"{"z": 1, "a": 12345678901234567890123, "m": -1.5e+3}"#)
    let object = try #require(value.object)
    #expect(object.keys == ["z", "a", "m"])
    #expect(object["a"] == .number("12345678901234567890123"))
    #expect(object["m"] == .number("-1.5e+3"))
  }

  @Test func parsingReadsEveryKindOfValue() throws {
    let value = try JSONParser.parse(
      Array(#" [null, true, false, "x", 0, [], {}, [1, [2, {"k": [3]}]]] "#.utf8))
    #expect(
      value
        == .array([
          .null, .bool(true), .bool(false), .string("x"), .number("0"), .array([]),
          .object(JSONObject()),
          .array([
            .number("1"),
            .array([.number("2"), .object(JSONObject(["k": .array([.number("3")])]))]),
          ]),
        ]))
  }

  @Test func stringEscapesAreDecoded() throws {
    let value = try JSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\u4e2d""#)
    #expect(value == .string("a\"b\\c/d\u{08}\u{0C}\n\r\té中"))
  }

  @Test func surrogatePairsBecomeOneScalar() throws {
    #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
  }

  @Test func loneSurrogatesBecomeReplacementCharacters() throws {
    #expect(try JSONParser.parse(#""a\ud83db""#) == .string("a\u{FFFD}b"))
    #expect(try JSONParser.parse(#""\ude00""#) == .string("\u{FFFD}"))
    #expect(try JSONParser.parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
    #expect(try JSONParser.parse(#""\ud83d""#) == .string("\u{FFFD}"))
  }

  @Test func rawUTF8IsKept() throws {
    #expect(
      try JSONParser.parse(#"{"name":"東京 Ünïcode 🚀"}"#).object?["name"] == .string("東京 Ünïcode 🚀"))
  }

  @Test func byteOrderMarkIsSkipped() throws {
    #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number("1")]))
  }

  @Test(arguments: [
    "", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1",
    "tru", "nul", "truex", "[1] x", "\"abc", "\"\\x\"", "\"\\u12G4\"", "\"a\u{01}b\"", "[1 2]",
    "{\"a\":1 \"b\":2}", "'a'", "NaN", "[\"a\",]", "{,}", "\"\\u00\"",
  ])
  func invalidDocumentsThrowTypedErrors(text: String) {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
  }

  @Test func errorsCarryTheByteOffset() {
    do {
      _ = try JSONParser.parse(#"{"a": [1, 2, x]}"#)
      Issue.record("expected an error")
    } catch let error as JSONParseError {
      #expect(error.offset == 13)
      #expect(error.description == "invalid JSON at byte 13: unexpected character 'x'")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func truncatedBodyIsAnUnexpectedEnd() {
    #expect(throws: JSONParseError(.unexpectedEnd, at: 14)) {
      try JSONParser.parse(#"{"accounts": ["#)
    }
  }

  @Test func errorDescriptionNeverQuotesTheBody() {
    let secret = String(repeating: "secret-", count: 1000)
    do {
      _ = try JSONParser.parse("{\"token\": \"\(secret)")
    } catch {
      #expect(!"\(error)".contains("secret"))
      #expect("\(error)".count < 80)
    }
  }

  @Test func deepNestingIsRefusedWithoutCrashing() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONParseError(.tooDeep(limit: 512), at: 513)) { try JSONParser.parse(deep) }
    let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    #expect((try? JSONParser.parse(allowed)) != nil)
  }

  @Test func parsingWorksOnNonContiguousCollections() throws {
    let bytes = Array(#"{"a":[true]}"#.utf8).lazy.map { $0 }
    #expect(try JSONParser.parse(bytes) == .object(JSONObject(["a": .array([.bool(true)])])))
  }

  @Test func compactWriterKeepsOrderAndNumbers() throws {
    let text = #"{"z":1,"a":[1.50,-0,2e10],"n":null,"t":true,"s":"x"}"#
    #expect(JSONWriter.compact(try JSONParser.parse(text)) == text)
  }

  @Test func writerEscapesControlCharacters() {
    let value = JSONValue.string("a\"b\\c\n\t\u{1B}[2J\u{7F}")
    #expect(JSONWriter.compact(value) == #""a\"b\\c\n\t\u001b[2J\u007f""#)
  }

  @Test func writerOutputParsesBackToTheSameValue() throws {
    let value = JSONValue.object(
      JSONObject([
        "name": .string("東京\u{0}\u{1F}😀"), "list": .array([.null, .bool(false), .number("3")]),
        "nested": .object(JSONObject(["k": .string("v")])),
      ]))
    #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
    #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
  }

  @Test func invalidNumberTextIsWrittenAsAString() {
    #expect(JSONWriter.compact(.array([.number("NaN"), .number("1.")])) == #"["NaN","1."]"#)
  }

  @Test func prettyWriterIndents() {
    let value = JSONValue.object(
      JSONObject(["a": .array([.number("1")]), "b": .object(JSONObject())]))
    #expect(JSONWriter.pretty(value) == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
  }
}

@Suite struct JSONSkimTests {
  func skim(_ path: [String], _ text: String) -> JSONSkim.Answer {
    JSONSkim.value(at: path, in: Array(text.utf8))
  }

  @Test func findsANestedMemberPastRecordsWithoutDecodingThem() {
    let body =
      #"{"accounts":[{"id":"a","name":"}]{[\"x"},{"id":"b"}],"page_info":{"next_marker":"m2","current_count":2}}"#
    #expect(skim(["page_info", "next_marker"], body) == .value(.string("m2")))
    #expect(
      skim(["page_info"], body)
        == .value(
          .object(JSONObject(["next_marker": .string("m2"), "current_count": .number("2")]))))
    #expect(JSONSkim.count(at: ["accounts"], in: Array(body.utf8)) == 2)
  }

  @Test func absentOnlyWhenTheDocumentIsWellFormedAroundIt() {
    #expect(skim(["page_info", "next_marker"], #"{"accounts":[],"page_info":{}}"#) == .absent)
    #expect(skim(["page_info", "next_marker"], #"{"accounts":[]}"#) == .absent)
    #expect(skim(["meta"], " \u{FEFF}{}") == .unknown)
    #expect(skim(["meta"], "{}") == .absent)
  }

  @Test(arguments: [
    #"{"accounts":[1,2}"#,  // unbalanced
    #"{"page\u005finfo":{"next_marker":"x"}}"#,  // an escaped key
    #"{"page_info":{"next_marker":"a"},"page_info":{"next_marker":"b"}}"#,  // a repeated key
    #"{"page_info":"text"}"#,  // not an object on the path
    #"[{"page_info":{}}]"#, "", "{", #"{"a""#,
  ])
  func unsureAnswersUnknown(body: String) {
    #expect(skim(["page_info", "next_marker"], body) == .unknown)
  }

  @Test func escapedQuotesAndBackslashesInsideStringsAreSkipped() {
    let body = #"{"a":["x\\","y\"}","\\\"z"],"b":"\\"}"#
    #expect(skim(["b"], body) == .value(.string("\\")))
    #expect(JSONSkim.count(at: ["a"], in: Array(body.utf8)) == 3)
  }

  @Test func countsOnlyWellFormedArrays() {
    #expect(JSONSkim.count(at: ["a"], in: Array(#"{"a":[]}"#.utf8)) == 0)
    #expect(JSONSkim.count(at: ["a"], in: Array(#"{"a":[[1,2],{"b":[3]},"]"]}"#.utf8)) == 3)
    #expect(JSONSkim.count(at: ["a"], in: Array(#"{"a":{}}"#.utf8)) == nil)
    #expect(JSONSkim.count(at: ["b"], in: Array(#"{"a":[]}"#.utf8)) == nil)
  }
}
