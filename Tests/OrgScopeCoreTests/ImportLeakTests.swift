import OrgScopeCore
import Testing

/// TOMLKit extends every `[String: V]` (V a TOML value: String, Int, Bool…) with a public
/// `subscript(key: String) -> TOMLValue?` whose setter writes into a temporary table. Where
/// TOMLKit leaked to a module that imports OrgScopeCore, `dictionary[key] = value` could
/// resolve to it and store nothing: the bench's `--accounts 50` was read as the default
/// 10,000 that way. OrgScopeCore imports TOMLKit internally, so its clients never see it.
@Suite struct ImportLeakTests {
  @Test func aStringDictionaryKeepsWhatIsAssignedInAModuleThatImportsCore() {
    let arguments = ["pages", "--accounts", "50"]
    var parsed: [String: String] = [:]
    var index = 1
    while index + 1 < arguments.count {
      parsed[String(arguments[index].dropFirst(2))] = arguments[index + 1]
      index += 2
    }
    #expect(parsed == ["accounts": "50"])
    var counts: [String: Int] = [:]
    counts[String("x-y".dropFirst(2))] = Int("3")
    #expect(counts == ["y": 3])
  }
}
