import OrgScopeCore
import Testing

@testable import OrgScopeTUI

@Suite struct SearchIndexTests {
  static let records: [Record] =
    (0..<300).map { Fixtures.account($0) } + [
      Fixtures.account(1000, name: ""), Fixtures.account(1001, name: "ÉCOLE Française"),
    ]

  @Test(arguments: MatchMode.allCases)
  func matchesExactlyLikeTheLocalFilter(mode: MatchMode) {
    var index = SearchIndex()
    index.append(Self.records.prefix(150))
    index.append(Self.records.dropFirst(150))
    for search in ["", "a", "acme", "ACME CORP 1", "1", "00", "ef", "東京", "école", "zzz", "1eef"] {
      let expected = Self.records.indices.filter {
        LocalFilter.matches(Self.records[$0], query: Query(search: search, match: mode))
      }
      let found = index.filter(search, mode: mode, candidates: Self.records.indices)
      #expect(found == expected, "\(mode) \"\(search)\"")
    }
  }

  @Test func containsAgreesWithTheLocalFilterOnRepetitiveText() {
    // Names from a two-letter alphabet make every partial match and every near miss (a
    // needle that runs past the end of a key, one that starts on the last byte) common.
    var generator = SystemRandomNumberGenerator()
    let records = (0..<400).map { number -> Record in
      let length = Int.random(in: 0...12, using: &generator)
      let name = String((0..<length).map { _ in Bool.random(using: &generator) ? "a" : "b" })
      return Fixtures.account(number, name: name)
    }
    var index = SearchIndex()
    index.append(records)
    for _ in 0..<200 {
      let length = Int.random(in: 1...7, using: &generator)
      let search = String((0..<length).map { _ in Bool.random(using: &generator) ? "a" : "b" })
      let expected = records.indices.filter {
        LocalFilter.matches(records[$0], query: Query(search: search))
      }
      #expect(index.filter(search, mode: .contains, candidates: records.indices) == expected)
    }
  }

  @Test func filtersOnlyTheCandidatesGiven() {
    var index = SearchIndex()
    index.append(Self.records)
    #expect(index.filter("hooli", mode: .contains, candidates: [9, 10, 19, 5000]) == [9, 19])
  }
}
