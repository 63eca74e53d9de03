import OrgScopeCore
import Testing

/// Issue 19, item 6, for `users show`: a part of one name is that person; a name matching
/// several lists them (sid and user name).
@Suite struct PeopleLookupTests {
  static let directory = PeopleDirectory(
    people: [
      Person(sid: "US1", userName: "ana.lopez@example.com", displayName: "Ana López"),
      Person(sid: "US2", userName: "ana.kim@example.com", displayName: "Ana Kim"),
      Person(
        sid: "US3", userName: "bo.chen@example.com", displayName: "Bo Chen",
        emails: ["bo@example.org"]),
    ], assignments: [])

  @Test func sidUserNameEmailOrAPartOnlyOnePersonHas() throws {
    #expect(try Self.directory.person("US2").sid == "US2")
    #expect(try Self.directory.person("ANA.KIM@example.com").sid == "US2")
    #expect(try Self.directory.person("bo@example.org").sid == "US3")
    #expect(try Self.directory.person("lopez").sid == "US1")
    #expect(try Self.directory.person("Bo Ch").sid == "US3")
  }

  @Test func aNameOfSeveralListsThemAndNoneSuggests() {
    #expect {
      try Self.directory.person("ana")
    } throws: { error in
      let text = "\(error)"
      return text.contains("names 2 users") && text.contains("US1") && text.contains("US2")
        && text.contains("ana.kim@example.com")
    }
    #expect {
      try Self.directory.person("ana.lopes@example.com")
    } throws: { error in
      "\(error)".contains("did you mean")
    }
  }
}
