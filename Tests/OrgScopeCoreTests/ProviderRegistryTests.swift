import Foundation
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// The provider registry is the one place the sources are listed: everything else reads it.
@Suite struct ProviderRegistryTests {
  @Test func idsAreUniqueAndRoundTripInTabOrder() throws {
    let ids = ProviderRegistry.all.map(\.id)
    #expect(Set(ids).count == ids.count)
    #expect(SourceID.allCases == ids)
    for id in ids { #expect(SourceID(rawValue: id.rawValue) == id) }
    #expect(SourceID(rawValue: "nope") == nil)
    #expect(SourceID(rawValue: "") == nil)
    let encoded = try JSONEncoder().encode(ids)
    #expect(try JSONDecoder().decode([SourceID].self, from: encoded) == ids)
    #expect(throws: (any Error).self) {
      try JSONDecoder().decode(SourceID.self, from: Data(#""nope""#.utf8))
    }
  }

  @Test func everyDescriptorIsComplete() {
    for descriptor in ProviderRegistry.all {
      #expect(!descriptor.title.isEmpty && !descriptor.shortTitle.isEmpty)
      #expect(descriptor.shortTitle.count <= descriptor.title.count)
      #expect(!descriptor.providerName.isEmpty)
      #expect(descriptor.offlineProvider().source == descriptor.id)
      #expect(descriptor.columns.contains { $0.flexible }, "\(descriptor.id)")
      let names = descriptor.filters.map(\.name)
      #expect(Set(names).count == names.count)
      for setting in descriptor.settings {
        #expect(Configuration.knownKeys.contains(setting.name))
        #expect(Configuration.secretKeys.contains(setting.name) == setting.isSecret)
      }
    }
  }

  /// Every filter a descriptor declares reaches its request, as its parameter, on the first
  /// page and on the next (filters are resent with a token).
  @Test func everyFilterReachesTheRequest() throws {
    for descriptor in ProviderRegistry.all {
      let provider = descriptor.offlineProvider()
      let base = try BaseURL.parse("https://api.example.com/x", source: descriptor.id)
      for filter in descriptor.filters {
        let value = filter.isFlag ? "true" : "v-1"
        let query = Query(filters: [filter.name: value])
        for cursor in [nil, PageCursor.token("t")] {
          let request = try provider.request(base: base, query: query, cursor: cursor)
          #expect(
            RequestBuilder.queryValue(filter.parameter, in: request.url) == value,
            "\(descriptor.id) --\(filter.name) is not sent as \(filter.parameter)")
        }
        let off = try provider.request(base: base, query: Query(), cursor: nil)
        #expect(RequestBuilder.queryValue(filter.parameter, in: off.url) == nil)
      }
    }
  }

  @Test func everySourceSaysWhatToSetAndConnectsToTheSandbox() async throws {
    let transport = HTTPClientTransport()
    defer { Task { await transport.shutdown() } }
    let empty = Configuration(values: [:]).makeSources(transport: transport)
    #expect(empty.map(\.source) == SourceID.allCases)
    for setup in empty {
      guard case .missing(let source, let hint) = setup else {
        Issue.record("\(setup.source) is ready without credentials")
        continue
      }
      // The hint names variables the source reads.
      let names = source.descriptor.settings.map(\.name)
      #expect(names.contains { hint.contains($0) }, "\(source): \(hint)")
    }
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: 3, roles: 2))
    let configuration = try Configuration.load(
      environment: sandbox.environment, readFile: false)
    for setup in configuration.makeSources(transport: transport) {
      guard case .ready(let client) = setup else {
        Issue.record("\(setup.source) is not ready with the sandbox's variables")
        continue
      }
      var count = 0
      for try await page in client.pages(query: Query()) { count += page.records.count }
      #expect(count > 0, "\(client.source)")
    }
    await sandbox.stop()
  }

  /// The design's promise: a source is named in code in at most five files of `Sources/`
  /// (its provider, its auth, its sandbox file and the two registries). Comments and help
  /// texts do not count; its id constant and its quoted id do.
  @Test func eachSourceIsNamedInAtMostFiveFiles() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
    let files = try #require(FileManager.default.enumerator(atPath: root.path))
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
    #expect(files.count > 50)
    let sources = try files.map { path -> (String, [String]) in
      let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
      let code = text.split(separator: "\n").map { line -> String in
        let trimmed = line.drop { $0 == " " }
        return trimmed.hasPrefix("//") ? "" : String(line)
      }
      return (path, code)
    }
    for descriptor in ProviderRegistry.all {
      // The id's constant: `twilio-accounts` is `.twilioAccounts`.
      let words = descriptor.id.rawValue.split(separator: "-").map(String.init)
      let constant =
        words[0] + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
      let needles = [".\(constant)", "\"\(descriptor.id.rawValue)\""]
      let naming = sources.filter { _, lines in
        lines.contains { line in
          needles.contains { needle in
            guard let range = line.range(of: needle) else { return false }
            // `.cloudflare` but not `.cloudflareAccounts`.
            let after = line[range.upperBound...].first
            return after.map { !$0.isLetter && !$0.isNumber } ?? true
          }
        }
      }.map(\.0).sorted()
      // Its own provider file names it: the search does find what it looks for.
      #expect(naming.contains { $0.hasPrefix("OrgScopeCore/Providers/") }, "\(descriptor.id)")
      #expect(naming.count <= 5, "\(descriptor.id) is named in \(naming)")
    }
  }
}
