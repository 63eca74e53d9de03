import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import OrgScopeCore

/// Issue 20: a sixth provider fits through the seam with its own file. This one is defined
/// here only: a JSON array per page with the next page in the `Link` header (as GitHub and
/// Okta page), and role policies in a shape of its own (`grants` / `revokes`).
extension SourceID {
  static let linkedTest = SourceID(declaring: "linked-test")
}

struct LinkPagedProvider: Provider {
  var source: SourceID { .linkedTest }

  var columns: [ColumnSpec] {
    [ColumnSpec("Name", width: 20, flexible: true), ColumnSpec("ID", width: 10, identifier: true)]
  }

  var capabilities: SourceCapabilities { SourceCapabilities(policies: true) }

  func request(base: BaseURL, query: Query, cursor: PageCursor?) throws -> HTTPRequestSpec {
    if case .url(let next) = cursor { return RequestBuilder.get(url: next) }
    return RequestBuilder.get(base: base, path: "/items", query: [QueryItem("per_page", "2")])
  }

  func decodePage(_ response: PageResponse, query: Query, cursor: PageCursor?) throws -> Page {
    guard let values = try JSONParser.parse(response.body).array else {
      throw PageDecodeError("expected an array")
    }
    let records = try PageReader.records(values, list: "items", idKey: "id") {
      PageReader.scalarText($0["name"]) ?? ""
    }
    return Page(records: records, next: LinkHeader.target("next", in: response).map(PageCursor.url))
  }

  /// The next page is in a header: known before the body is read.
  func peekNext(_ response: PageResponse, query: Query, cursor: PageCursor?) -> NextPage? {
    NextPage(LinkHeader.target("next", in: response).map(PageCursor.url))
  }

  func cells(of record: Record) -> [String] { [record.name, record.id] }

  func decodeError(status: Int, headers: [Header], body: [UInt8]) -> APIError {
    APIError(
      source: source, status: status, code: nil,
      message: ErrorBody.fallbackMessage(status: status, body: body))
  }

  func details(of record: Record) -> [DetailSection] {
    [DetailSection(title: "Item", lines: DetailBuilder.fieldLines(record.fields))]
  }

  func policy(of record: Record) -> RolePolicy? {
    guard let grants = record.fields["grants"]?.array else { return nil }
    return RolePolicy(
      id: record.id, name: record.name, allow: grants.compactMap(\.string),
      deny: (record.fields["revokes"]?.array ?? []).compactMap(\.string))
  }
}

/// Where the loopback server is, once it listens (its pages link to themselves).
final class Origin: @unchecked Sendable {
  private let lock = NSLock()
  private var text = ""
  var value: String {
    get { lock.withLock { text } }
    set { lock.withLock { text = newValue } }
  }
}

@Suite struct SixthProviderTests {
  static let pageCount = 4

  /// Page `number` of the server: two items each; a `Link` to the next but on the last.
  static func answer(origin: String, path: String, query: String) -> Response {
    let number =
      Int(query.split(separator: "&").first { $0.hasPrefix("page=") }?.dropFirst(5) ?? "")
      ?? 1
    let items = (0..<2).map { index in
      let id = "it\(number)-\(index)"
      return
        #"{"id":"\#(id)","name":"Item \#(id)","grants":["/items/\#(number)/*"],"revokes":["/items/\#(number)/delete"]}"#
    }
    var headers: HTTPFields = [:]
    if number < pageCount {
      headers[HTTPField.Name("Link")!] =
        #"<\#(origin)/items?page=\#(number + 1)&per_page=2>; rel="next", <\#(origin)/items?page=\#(pageCount)>; rel="last""#
    }
    return HostileServer.json(.ok, "[" + items.joined(separator: ",") + "]", headers: headers)
  }

  @Test(.timeLimit(.minutes(10)))
  func aLinkHeaderPagedProviderPagesToTheEndThroughTheOneEngine() async throws {
    let origin = Origin()
    try await HostileServer.run(
      answer: { path, query, _ in Self.answer(origin: origin.value, path: path, query: query) },
      test: { base, transport, hits in
        origin.value = base
        let client = SourceClient(
          provider: LinkPagedProvider(), base: try BaseURL.parse(base, source: .linkedTest),
          auth: StaticHeaderAuthenticator.bearer("linked-token-0123"), transport: transport)
        var ids: [String] = []
        var policies: [RolePolicy] = []
        for try await page in client.pages(query: Query()) {
          ids += page.records.map(\.id)
          policies += page.records.compactMap(client.provider.policy(of:))
        }
        #expect(ids.count == 2 * Self.pageCount)
        #expect(ids.first == "it1-0" && ids.last == "it\(Self.pageCount)-1")
        #expect(hits.value == Self.pageCount)
        // Its policies answer the role audit like Twilio's.
        let read = RoleAudit.grants(try Glob(query: "/items/2/read"), in: policies)
        #expect(read.granted.map(\.role.id).sorted() == ["it2-0", "it2-1"])
        #expect(read.allCount == 2)
        let delete = RoleAudit.grants(try Glob(query: "/items/2/delete"), in: policies)
        #expect(delete.granted.isEmpty)
        #expect(delete.overridden.map(\.role.id).sorted() == ["it2-0", "it2-1"])
      })
  }

  /// Its server pages forever (empty pages, each linking to a new one): the same guard as
  /// every provider's stops it.
  @Test(.timeLimit(.minutes(10)))
  func itsEndlessServerIsStoppedByTheSameGuard() async throws {
    let origin = Origin()
    try await HostileServer.run(
      answer: { _, _, hit in
        HostileServer.json(
          .ok, "[]",
          headers: [
            HTTPField.Name("Link")!: "<\(origin.value)/items?page=\(hit + 1)>; rel=\"next\""
          ])
      },
      test: { base, transport, hits in
        origin.value = base
        let client = SourceClient(
          provider: LinkPagedProvider(), base: try BaseURL.parse(base, source: .linkedTest),
          auth: StaticHeaderAuthenticator.bearer("linked-token-0123"), transport: transport)
        await #expect {
          for try await _ in client.pages(query: Query()) {}
        } throws: { error in
          (error as? OrgScopeError)?.description.contains("empty pages in a row") == true
        }
        #expect(hits.value <= SourceClient.emptyPageLimit + 2)
      })
  }

  @Test func linkHeadersAreReadAsRFC8288WritesThem() {
    func next(_ values: String...) -> String? {
      LinkHeader.target(
        "next", in: PageResponse(status: 200, headers: values.map { Header("Link", $0) }))
    }
    #expect(next(#"<https://a.test/x?page=2>; rel="next""#) == "https://a.test/x?page=2")
    #expect(
      next(#"<https://a.test/1>; rel="prev", <https://a.test/3>; rel="next""#) == "https://a.test/3"
    )
    #expect(next(#"<https://a.test/q?a=1,2>; title="a, b"; rel=next"#) == "https://a.test/q?a=1,2")
    #expect(next(#"<https://a.test/z>; rel="last NEXT""#) == "https://a.test/z")
    #expect(next(#"<https://a.test/p>; rel="prev""#) == nil)
    #expect(next("garbage", #"<https://a.test/2>; rel="next""#) == "https://a.test/2")
    #expect(next() == nil)
  }
}
