import Foundation
import Testing

@testable import OrgScopeCore

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
