import Foundation
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

// MARK: - hardening: hostile input, each test named after what the trial did

/// Issue 15, finding 8: every output format is display-safe.
@Suite struct HardeningOutputTests {
  // MARK: 7. Display-safe writers

  @Test func jsonEscapesC1AndBidiControlsAndStaysExact() throws {
    let hostile =
      "a\u{9B}31m\u{9D}0;t\u{07}\u{202E}rev\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}\u{2028}\u{2029}\u{1B}[2J\u{7F}é中😀"
    let value = JSONValue.object(JSONObject(["name": .string(hostile)]))
    for text in [JSONWriter.compact(value), JSONWriter.pretty(value)] {
      let bytes = Array(text.utf8)
      #expect(!bytes.contains(0x1B) && !bytes.contains(0x07) && !bytes.contains(0x7F))
      for scalar in text.unicodeScalars {
        #expect(
          Sanitizer.keeps(scalar) || scalar == "\n", "raw U+\(String(scalar.value, radix: 16))")
      }
      #expect(text.contains(#"\u009b"#) && text.contains(#"\u202e"#) && text.contains(#"\u061c"#))
      #expect(try JSONParser.parse(text) == value)
      let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
      #expect(foundation?["name"] == hostile)
    }
    var line: [UInt8] = []
    RecordOutput.appendNDJSONLine(Record(id: "1", name: hostile, fields: value.object!), to: &line)
    #expect(!String(decoding: line, as: UTF8.self).unicodeScalars.contains { $0.value == 0x202E })
  }

  @Test func csvAndTableShowControlsVisibly() throws {
    let hostile =
      "acme\u{1B}]0;pwned\u{07}\u{1B}[?1049h\u{1B}]52;c;cm0gLXJmIH4=\u{07}\u{202E}txt\u{9B}2J"
    let cell = CSV.cell(hostile)
    let bytes = Array(cell.utf8)
    #expect(!bytes.contains(0x1B) && !bytes.contains(0x07))
    #expect(!cell.unicodeScalars.contains { !Sanitizer.keeps($0) })
    #expect(cell.contains(#"\x1b]0;pwned\x07"#))
    #expect(cell.contains(#"\u{202E}"#))
    #expect(cell.contains(#"\x9b2J"#))
    #expect(CSV.cell("=1+1") == "'=1+1")
    #expect(CSV.cell("two\nlines") == "\"two\nlines\"")

    let record = Record(
      id: "id\u{1B}[31m", name: hostile,
      fields: JSONObject(["id": .string("id"), "name": .string(hostile)]))
    let table = RecordOutput.table(
      [record], provider: CloudflareProvider(organizationID: "o"), width: 400)
    #expect(!Array(table.utf8).contains(0x1B))
    #expect(table.contains(#"\x1b"#))
    let csv = RecordOutput.csv([record])
    #expect(!Array(csv.utf8).contains(0x1B))
  }

  @Test func streamedJSONArrayIsTheSameTextAsTheWholeArray() {
    let records = (0..<5).map { index in
      Record(
        id: "\(index)", name: "n\(index)",
        fields: JSONObject(["id": .number("\(index)"), "nested": .array([.null, .bool(true)])]))
    }
    for count in [0, 1, 5] {
      let slice = Array(records.prefix(count))
      #expect(
        RecordOutput.json(slice)
          == JSONWriter.pretty(.array(slice.map { .object($0.fields) })) + "\n")
    }
  }
}
