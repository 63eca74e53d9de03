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

  @Test func filtersOnlyTheCandidatesGiven() {
    var index = SearchIndex()
    index.append(Self.records)
    #expect(index.filter("hooli", mode: .contains, candidates: [9, 10, 19, 5000]) == [9, 19])
  }
}
