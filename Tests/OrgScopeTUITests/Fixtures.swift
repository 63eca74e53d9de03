import Foundation
import OrgScopeCore

@testable import OrgScopeTUI

/// The network is never reached by these tests: `update` only returns fetch commands.
struct UnreachableTransport: HTTPTransport {
  func send(_ request: HTTPRequestSpec, source: SourceID) async throws -> HTTPResponseData {
    throw OrgScopeError.network(source: source, message: "tests do not use the network")
  }
}

enum Fixtures {
  static let base = BaseURL(scheme: "https", host: "example.test", port: nil, pathPrefix: "")

  static func client(_ provider: any Provider) -> SourceClient {
    SourceClient(
      provider: provider, base: base, auth: StaticHeaderAuthenticator.bearer("test-token"),
      transport: UnreachableTransport())
  }

  static var cloudflare: SourceSetup { .ready(client(CloudflareProvider(organizationID: "org1"))) }
  static var roles: SourceSetup { .ready(client(TwilioRolesProvider())) }
  static var sendgrid: SourceSetup { .ready(client(SendGridProvider())) }
  static var huaweiMissing: SourceSetup {
    .missing(source: .huawei, hint: "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK")
  }

  static let names = [
    "Acme Corp", "Globex", "Initech", "Umbrella", "東京テスト株式会社", "Stark Industries",
    "Wayne Enterprises", "Café Müller", "Soylent 🚀 Green", "Hooli",
  ]

  /// A Cloudflare-shaped account record.
  static func account(_ number: Int, name: String? = nil) -> Record {
    let name = name ?? "\(names[number % names.count]) \(number)"
    let id = String(format: "%032x", number * 7919)
    let created = "2024-01-\(String(format: "%02d", number % 28 + 1))T10:00:00Z"
    let fields = JSONObject([
      .init(key: "id", value: .string(id)), .init(key: "name", value: .string(name)),
      .init(key: "type", value: .string("standard")),
      .init(
        key: "settings",
        value: .object(JSONObject(["enforce_twofactor": .bool(number % 2 == 0)]))),
      .init(key: "created_on", value: .string(created)),
    ])
    return Record(id: id, name: name, fields: fields)
  }

  static func page(_ range: Range<Int>, next: String?, total: Int? = nil) -> Page {
    Page(records: range.map { account($0) }, next: next.map(PageCursor.token), total: total)
  }

  /// A Twilio role with allow and deny lists.
  static func role(_ number: Int) -> Record {
    let name = "Billing admin \(number)"
    let sid = "IX" + String(format: "%032x", number)
    let allow: [JSONValue] = [
      .string("/twilio/billing/invoices/read"), .string("/twilio/billing/usage/*"),
      .string("/twilio/voice/calls/read"),
    ]
    let deny: [JSONValue] = [.string("/twilio/billing/payment-methods/delete")]
    let fields = JSONObject([
      .init(key: "sid", value: .string(sid)), .init(key: "friendly_name", value: .string(name)),
      .init(key: "product_group", value: .string("billing")),
      .init(key: "lowest_level", value: .string("account")),
      .init(key: "resource_types", value: .array([.string("account")])),
      .init(
        key: "policy",
        value: .object(JSONObject(["allow": .array(allow), "deny": .array(deny)]))),
    ])
    return Record(id: sid, name: name, fields: fields)
  }

  /// A Twilio role with the given policy.
  static func role(_ number: Int, name: String, allow: [String], deny: [String]) -> Record {
    let sid = "IX" + String(format: "%032x", number)
    let fields = JSONObject([
      .init(key: "sid", value: .string(sid)), .init(key: "friendly_name", value: .string(name)),
      .init(key: "product_group", value: .string("iam")),
      .init(key: "lowest_level", value: .string("ORGANIZATION")),
      .init(
        key: "policy",
        value: .object(
          JSONObject([
            "allow": .array(allow.map { .string($0) }), "deny": .array(deny.map { .string($0) }),
          ]))),
    ])
    return Record(id: sid, name: name, fields: fields)
  }

  /// Roles whose policies overlap in every way the audit distinguishes.
  static let auditRoles: [Record] = [
    role(1, name: "Organization Owner", allow: ["*"], deny: ["/twilio/*/delete"]),
    role(2, name: "IAM Admin", allow: ["/twilio/iam/*"], deny: ["/twilio/iam/users/delete"]),
    role(3, name: "Users Manager", allow: ["/twilio/iam/users/*"], deny: []),
    role(
      4, name: "Billing Viewer",
      allow: ["/twilio/billing/invoices/read", "/twilio/billing/receipts/list"], deny: []),
    role(
      5, name: "Support Agent", allow: ["/twilio/*/read", "/twilio/iam/users/update"], deny: []),
    role(
      6, name: "Locked Auditor", allow: ["/twilio/iam/users/delete"], deny: ["/Twilio/IAM/*"]),
    role(7, name: "Everything", allow: ["/twilio/*"], deny: []),
  ]

  /// Runs `start` and answers every fetch it asks for with `pages` (by request), and every
  /// "who can" job, until no more are asked for.
  static func loaded(
    _ sources: [SourceSetup], width: Int = 80, height: Int = 24, unicode: Bool = true,
    people: PeopleData? = nil, pages: (FetchRequest) -> Page?
  ) -> AppState {
    var state = AppState(
      sources: sources, width: width, height: height, theme: .fallback, unicode: unicode)
    answer(&state, App.start(&state), people: people, pages: pages)
    return state
  }

  /// Sends `message`, then answers the fetches that follow with `pages`.
  static func send(
    _ state: inout AppState, _ message: Message, people: PeopleData? = nil,
    pages: (FetchRequest) -> Page?
  ) {
    answer(&state, App.update(&state, message), people: people, pages: pages)
  }

  /// The answer, from `pages`, to the page that tab `tab`'s listing waits for; nil when none
  /// is on its way (or `pages` has none).
  static func arrival(_ state: AppState, tab: Int, pages: (FetchRequest) -> Page?) -> Message? {
    guard let listing = state.tabs[tab].listing, case .some(let cursor) = listing.inFlight else {
      return nil
    }
    let request = FetchRequest(
      tab: tab, source: state.tabs[tab].source, generation: listing.generation,
      query: listing.query, cursor: cursor)
    return pages(request).map {
      .pageLoaded(tab: tab, generation: listing.generation, cursor: cursor, page: $0)
    }
  }

  /// Runs `commands` as a server and the runtime would: each fetch answered with
  /// `pages(request)` (nil: left unanswered), each "who can" computed at once, until nothing
  /// is asked for or `limit` fetches were answered. Returns how many were.
  @discardableResult
  static func answer(
    _ state: inout AppState, _ commands: [Command], limit: Int = 100, people: PeopleData? = nil,
    pages: (FetchRequest) -> Page?
  ) -> Int {
    var pending = commands
    var rounds = 0
    var answered = 0
    while let command = pending.first, answered < limit, rounds < limit * 4 + 100 {
      pending.removeFirst()
      rounds += 1
      // A "who can" query is computed here at once, as the runtime does on another thread.
      if case .whoCan(let job) = command {
        pending += App.update(&state, .whoCanAnswered(job.run()))
        continue
      }
      // A role's deny notes, the same.
      if case .roleNotes(let role) = command {
        pending += App.update(&state, .notesComputed(role, RoleAudit.notes(for: role)))
        continue
      }
      // The people load, answered with `people` when given (else left to the test).
      if case .loadPeople(let number) = command, let people {
        pending += App.update(&state, .peopleLoaded(number: number, people))
        continue
      }
      guard case .fetch(let request) = command, let page = pages(request) else { continue }
      answered += 1
      pending += App.update(
        &state,
        .pageLoaded(
          tab: request.tab, generation: request.generation, cursor: request.cursor, page: page))
    }
    return answered
  }
}

extension [Command] {
  var fetches: [FetchRequest] {
    compactMap { if case .fetch(let request) = $0 { request } else { nil } }
  }
}
