import OrgScopeCore
import Testing

@Suite struct FieldFilterTests {
  let record = Record(
    id: "a1", name: "Paris Office",
    fields: JSONObject([
      .init(key: "id", value: .string("a1")), .init(key: "name", value: .string("Paris Office")),
      .init(key: "status", value: .string("SUSPENDED")),
      .init(key: "type", value: .string("standard")),
      .init(
        key: "settings",
        value: .object(JSONObject(["enforce_twofactor": .bool(false), "abuse": .null]))),
      .init(key: "tags", value: .array([.string("eu"), .string("billing")])),
    ]))

  func holds(_ expression: String) throws -> Bool {
    try FieldFilter(parsing: expression).matches(record)
  }

  @Test func equalsIgnoresCaseAndReadsDottedPaths() throws {
    #expect(try holds("status=suspended"))
    #expect(try holds("settings.enforce_twofactor=false"))
    #expect(try !holds("settings.enforce_twofactor=true"))
    #expect(try holds("type!=enterprise"))
    #expect(try !holds("type!=standard"))
  }

  @Test func containsAndQuotedValues() throws {
    #expect(try holds("name~paris"))
    #expect(try holds(#"name~"paris off""#))
    #expect(try !holds("name~london"))
  }

  @Test func everyTermMustHold() throws {
    #expect(try holds("status=suspended name~paris"))
    #expect(try !holds("status=suspended name~london"))
  }

  @Test func nullMissingAndArrays() throws {
    #expect(try holds("settings.abuse=null"))
    #expect(try holds("nowhere=null"))
    #expect(try !holds("nowhere=x"))
    #expect(try holds("nowhere!=x"))
    #expect(try holds("tags=billing"))
    #expect(try !holds("tags!=billing"))
  }

  @Test func badExpressionsNameThePart() {
    #expect(throws: FieldFilterError.noOperator("statussuspended")) {
      try FieldFilter(parsing: "type=standard statussuspended")
    }
    #expect(throws: FieldFilterError.badField(".x=1")) { try FieldFilter(parsing: ".x=1") }
    #expect(throws: FieldFilterError.empty) { try FieldFilter(parsing: "  ") }
    #expect(throws: FieldFilterError.unclosedQuote(#"name~"x"#)) {
      try FieldFilter(parsing: #"name~"x"#)
    }
  }
}
