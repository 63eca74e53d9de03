import Foundation
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// Issue 21: users and every user's role assignments, fetched from the sandbox through the
/// one transport, the one paging engine and the one fan-out.
@Suite struct PeopleFetchTests {
  static func withUsers(
    _ options: SandboxOptions,
    _ body: (RunningSandbox, SourceClient) async throws -> Void
  ) async throws {
    let sandbox = try await Sandbox.start(options)
    let transport = HTTPClientTransport()
    do {
      let configuration = try Configuration.load(
        environment: sandbox.environment, readFile: false)
      let setup = configuration.makeSources(transport: transport).first {
        $0.source == TwilioUsersProvider.sourceID
      }
      guard case .ready(let client)? = setup else {
        Issue.record("twilio-users is not ready with the sandbox's variables")
        throw CancellationError()
      }
      try await body(sandbox, client)
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
  }

  static var options: SandboxOptions {
    var options = SandboxOptions(accounts: 50, roles: 120)
    options.users = 60
    return options
  }

  @Test func everyUsersAssignmentsAreFetchedOneUserListThenOneRequestEach() async throws {
    try await Self.withUsers(Self.options) { sandbox, users in
      let progress = ProgressLog()
      let directory = try await PeopleDirectory.load(users: users, progress: progress.record)
      #expect(directory.people.map(\.sid) == sandbox.twilioUserSIDs)
      #expect(directory.totalUsers == 60 && directory.unlisted == 0)
      #expect(directory.assignments.count > 120)
      #expect(Set(directory.assignments.map(\.identity)).isSubset(of: Set(sandbox.twilioUserSIDs)))
      #expect(progress.reports.last.map { $0.0 == 60 && $0.1 == 60 } == true)
      let log = await sandbox.requestLog.filter { $0.method == "GET" }
      #expect(log.count { $0.path.hasSuffix("/scim/Users") } == 1)
      let perUser = log.filter { $0.path.hasSuffix("/RoleAssignments") }
      #expect(perUser.count == 60)
      #expect(perUser.allSatisfy { $0.parameter("Identity") != nil })
      #expect(directory.people.contains { !$0.active })
    }
  }

  @Test func tooManyRequestsOnAssignmentsIsWaitedOutThroughTheTransport() async throws {
    var options = Self.options
    options.users = 12
    options.faults = [try SandboxFault(parsing: "twilio-role-assignments:429:1:once")]
    try await Self.withUsers(options) { sandbox, users in
      let directory = try await PeopleDirectory.load(users: users)
      #expect(directory.people.count == 12)
      let perUser = await sandbox.requestLog.filter { $0.path.hasSuffix("/RoleAssignments") }
      // One answered 429 with Retry-After: 1, then asked again.
      #expect(perUser.count == 13)
      #expect(Set(directory.assignments.map(\.identity)).count == 12)
    }
  }

  @Test func aSCIMAnswerShortOfItsTotalKeepsTheCountHonest() throws {
    let provider = TwilioUsersProvider(organizationSID: "OR1")
    let page = try provider.decodePage(
      Array(
        #"{"totalResults": 3, "Resources": [{"id": "US1", "userName": "a@b.c", "emails": [{"value": "a@b.c"}, {"value": "alt@b.c"}]}]}"#
          .utf8), query: Query(), cursor: nil)
    #expect(page.total == 3 && page.next == nil)
    #expect(page.records.first?.name == "a@b.c")
    #expect(page.records.first?.aliases == ["a@b.c", "alt@b.c"])
    #expect(LocalFilter.matches(page.records[0], query: Query(search: "ALT@")))
    #expect(LocalFilter.matches(page.records[0], query: Query(search: "alt", match: .startsWith)))
    let none = try provider.decodePage(
      Array(#"{"totalResults": 0, "schemas": []}"#.utf8), query: Query(), cursor: nil)
    #expect(none.records.isEmpty)
    let error = provider.decodeError(
      status: 400, headers: [],
      body: Array(
        #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "detail": "bad filter", "status": "400", "scimType": "invalidFilter"}"#
          .utf8))
    #expect(error.message == "bad filter" && error.code == "invalidFilter")
    let directory = PeopleDirectory(
      people: [Person(record: page.records[0])], assignments: [], totalUsers: page.total)
    #expect(directory.unlisted == 2)
  }

  @Test func assignmentsAreNeverAskedForWithoutAUserOrAScope() throws {
    let provider = TwilioRoleAssignmentsProvider(organizationSID: "OR1")
    let base = try BaseURL.parse("https://preview-iam.twilio.com", source: .twilioUsers)
    #expect(throws: OrgScopeError.self) {
      _ = try provider.request(base: base, query: Query(), cursor: nil)
    }
    let request = try provider.request(
      base: base,
      query: Query(filters: [TwilioRoleAssignmentsProvider.identityFilter: "US1"]), cursor: nil)
    #expect(
      request.url
        == "https://preview-iam.twilio.com/Organizations/OR1/RoleAssignments?Identity=US1&PageSize=100"
    )
  }
}
