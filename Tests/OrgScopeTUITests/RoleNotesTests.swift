import Foundation
import OrgScopeCore
import Synchronization
import Testing

@testable import OrgScopeTUI

/// Issue 22: the roles tab's deny notes are computed off the UI thread, once per role, and
/// a hostile role (the audit's exponential one) leaves every key to act at once.
@Suite struct RoleNotesTests {
  /// `allow /twilio/*y`, `deny *y` plus K entries `*<c_i>*y`: 2^K states to decide its notes
  /// (AuditBoundsTests.exponential, as a record).
  static func hostile(_ k: Int) -> Record {
    let letters = Array("abcdefghijklmnopqrstuvwx")
    return Fixtures.role(
      90, name: "Exponential", allow: ["/twilio/*y"],
      deny: ["*y"] + (0..<k).map { "*\(letters[$0])*y" })
  }

  static func state() -> AppState {
    var state = AppState(sources: [Fixtures.roles], width: 80, height: 24, theme: .fallback)
    _ = App.start(&state)
    let generation = state.tabs[0].listing!.generation
    _ = App.update(
      &state,
      .pageLoaded(
        tab: 0, generation: generation, cursor: nil,
        page: Page(records: [hostile(22), Fixtures.auditRoles[1]], next: nil)))
    return state
  }

  static func notesJobs(_ commands: [Command]) -> [RolePolicy] {
    commands.compactMap { if case .roleNotes(let role) = $0 { role } else { nil } }
  }

  @Test func theSelectedRolesNotesAreAskedForOnceAndComputingIsShown() throws {
    var state = AppState(sources: [Fixtures.roles], width: 80, height: 24, theme: .fallback)
    _ = App.start(&state)
    let generation = state.tabs[0].listing!.generation
    let first = App.update(
      &state,
      .pageLoaded(
        tab: 0, generation: generation, cursor: nil,
        page: Page(records: [Self.hostile(22), Fixtures.auditRoles[1]], next: nil)))
    let asked = Self.notesJobs(first)
    #expect(asked.map(\.id) == [Self.hostile(22).id])
    func shown() -> [String] {
      DetailLayout.rows(
        for: state.tabs[0].selected!, in: state.tabs[0], width: 78, unicode: true, state: state
      )
      .map { $0.map(\.text).joined() }
    }
    #expect(shown().contains { $0.contains("what it cuts: computing…") }, "\(shown())")
    // While it is computed, keys act at once and no second job is started.
    #expect(Self.notesJobs(App.update(&state, .key(.down))).isEmpty)
    #expect(state.tabs[0].cursor == 1)
    #expect(Self.notesJobs(App.update(&state, .key(.up))).isEmpty)
    #expect(state.tabs[0].cursor == 0)
    // Its answer: kept, and the next role shown is asked for.
    _ = App.update(&state, .key(.down))
    let role = try #require(asked.first)
    // (Its notes as the work thread would send them; deciding them here would hold a thread
    // of the test pool: the ordering test below computes them off it.)
    let next = App.update(&state, .notesComputed(role, []))
    #expect(Self.notesJobs(next).map(\.id) == [Fixtures.auditRoles[1].id])
    _ = App.update(&state, .notesComputed(Self.notesJobs(next)[0], []))
    // Back on the first role: its notes are in, nothing is computed again.
    #expect(Self.notesJobs(App.update(&state, .key(.up))).isEmpty)
    #expect(!shown().contains { $0.contains("computing…") }, "\(shown())")
    #expect(state.notes.notes(of: role) == [])
  }

  @Test func quitActsAtOnceWhileAHostileRoleIsComputed() {
    var state = Self.state()
    #expect(state.notes.computing?.id == Self.hostile(22).id)
    let commands = App.update(&state, .key(.character("q")))
    #expect(state.quitting)
    #expect(Self.notesJobs(commands).isEmpty)
  }

  @Test func aRoleWithoutDenyEntriesNeedsNoNotes() {
    var state = AppState(sources: [Fixtures.roles], width: 80, height: 24, theme: .fallback)
    _ = App.start(&state)
    let generation = state.tabs[0].listing!.generation
    let commands = App.update(
      &state,
      .pageLoaded(
        tab: 0, generation: generation, cursor: nil,
        page: Page(records: [Fixtures.auditRoles[2]], next: nil)))
    #expect(Self.notesJobs(commands).isEmpty)
  }

  /// The runtime's part: the work is started on a thread of its own and `start` returns at
  /// once; the answer is posted after, whatever it costs. Checked by the threads (the answer
  /// comes from another than the caller's) and the order, with a role whose notes take the
  /// audit's whole work budget (the 2^22-state role is decided at once by its `deny *y`).
  @Test func aHostileRolesNotesAreComputedOffTheCallersThread() async throws {
    let hard = Fixtures.role(
      91, name: "Hard", allow: ["/twilio/hostile/" + String(repeating: "*a", count: 500) + "x"],
      deny: ["/twilio/hostile/" + String(repeating: "*b", count: 500) + "y"])
    let role = try #require(TwilioRolesProvider().policy(of: hard))
    let events = Mutex<[String]>([])
    let threads = Mutex<[pthread_t]>([])
    let (stream, continuation) = AsyncStream<Message>.makeStream()
    threads.withLock { $0.append(pthread_self()) }
    let started = HeavyWork.start(.roleNotes(role)) { message in
      threads.withLock { $0.append(pthread_self()) }
      events.withLock { $0.append("answered") }
      continuation.yield(message)
    }
    events.withLock { $0.append("returned") }
    #expect(started)
    var iterator = stream.makeAsyncIterator()
    let message = await iterator.next()
    guard case .notesComputed(let answered, let notes)? = message else {
      Issue.record("not the notes: \(String(describing: message))")
      return
    }
    #expect(answered == role)
    #expect(notes.count == 2 && notes.allSatisfy { !$0.undecided.isEmpty })
    let seen = threads.withLock { $0 }
    #expect(seen.count == 2 && pthread_equal(seen[0], seen[1]) == 0)
    #expect(events.withLock { $0 } == ["returned", "answered"])
    #expect(!HeavyWork.start(.quit) { _ in })
  }
}
