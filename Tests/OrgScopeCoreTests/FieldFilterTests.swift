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

  @Test func doubleEqualsIsEquals() throws {
    #expect(try holds("status==suspended"))
    #expect(try !holds("status==active"))
    #expect(try FieldFilter(parsing: "status==x") == FieldFilter(parsing: "status=x"))
  }

  @Test func anyOtherOperatorIsAnErrorNamingTheAllowedOnes() {
    for (expression, written) in [
      ("status=~sus", "=~"), ("count>=3", ">="), ("count<3", "<"), ("name!~paris", "!~"),
      ("name~=paris", "~="), ("status===x", "==="), ("status!x", "!"),
    ] {
      #expect(throws: FieldFilterError.unknownOperator(written, expression)) {
        try FieldFilter(parsing: expression)
      }
      let message = FieldFilterError.unknownOperator(written, expression).description
      #expect(message.contains("\"\(written)\" is not an operator"), "\(message)")
      #expect(message.contains("field=value (or ==), field!=value or field~text"))
    }
  }

  @Test func aQuotedValueMayStartWithAnOperatorCharacter() throws {
    let filter = try FieldFilter(parsing: #"name="=x" type!="<y""#)
    #expect(filter.terms.map(\.value) == ["=x", "<y"])
    #expect(filter.terms.map(\.operation) == [.equals, .notEquals])
  }

  func census(_ expression: String, _ records: [Record]) throws -> MissingFields? {
    var census = FieldFilter.Census(try FieldFilter(parsing: expression))
    census.add(records)
    return census.missing()
  }

  @Test func aFieldNoRecordHasIsNamedWithTheClosestKnownFields() throws {
    let missing = try #require(try census("stauts=suspended", [record]))
    #expect(missing.description == #"no record has a field "stauts"; did you mean "status"?"#)
    // Dotted paths are fields too, and a known field is not missing even when null.
    #expect(try census("settings.abuse=null status=x tags~eu", [record]) == nil)
    let nested = try #require(try census("settings.enforce_twofactr=false", [record]))
    #expect(
      nested.description
        == #"no record has a field "settings.enforce_twofactr"; did you mean "settings.enforce_twofactor"?"#
    )
    // Case matters for a field name, and is the closest suggestion.
    #expect(
      try census("Status=x", [record])?.description
        == #"no record has a field "Status"; did you mean "status"?"#)
  }

  @Test func nothingCloseNamesTheRecordsFields() throws {
    let missing = try #require(try census("region=eu", [record]))
    #expect(
      missing.description
        == #"no record has a field "region" (fields: id, name, settings, status, tags, type)"#)
  }

  @Test func severalMissingFieldsAreNamedInOneLine() throws {
    let missing = try #require(try census("stauts=x nmae~y type=standard zzz=1", [record]))
    #expect(
      missing.description
        == #"no record has the fields "stauts" (did you mean "status"?), "nmae" (did you mean "name"?) or "zzz""#
    )
  }

  @Test func aFieldOnAnyRecordIsKnownAndNoRecordsMeansNoVerdict() throws {
    let other = Record(
      id: "b", name: "B", fields: JSONObject([.init(key: "region", value: .string("eu"))]))
    #expect(try census("region=eu", [record, other]) == nil)
    #expect(try census("region=eu", []) == nil)
    var census = FieldFilter.Census(try FieldFilter(parsing: "region=eu"))
    census.add(record)
    #expect(census.missing(partial: true)?.description.hasPrefix("no loaded record has") == true)
  }

  @Test func hostileFieldNamesAreCleaned() throws {
    let hostile = Record(
      id: "h", name: "H", fields: JSONObject([.init(key: "stat\u{1B}[2Jus", value: .null)]))
    let missing = try #require(try census("status=x", [hostile]))
    #expect(!missing.description.contains("\u{1B}"))
    #expect(!(try census("a\u{1B}b=1", [record])?.description.contains("\u{1B}") ?? true))
  }
}

@Suite struct SuggestionsTests {
  @Test func aSwapIsOneEditAndFarNamesAreNotSuggested() {
    #expect(
      Suggestions.closest(to: "stauts", among: ["status", "state", "type"]) == ["status", "state"])
    #expect(Suggestions.closest(to: "nmae", among: ["name", "id"]) == ["name"])
    #expect(Suggestions.closest(to: "xyz", among: ["name", "id"]).isEmpty)
    #expect(Suggestions.closest(to: "status", among: ["status"]).isEmpty)
  }

  @Test func quotedListsReadAsASentence() {
    #expect(Suggestions.quotedList(["a"]) == #""a""#)
    #expect(Suggestions.quotedList(["a", "b"]) == #""a" or "b""#)
    #expect(Suggestions.quotedList(["a", "b", "c"]) == #""a", "b" or "c""#)
  }
}
