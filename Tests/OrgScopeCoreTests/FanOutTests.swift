import Foundation
import OrgScopeSandbox
import Testing

@testable import OrgScopeCore

/// Counts operations in flight, and the most seen at once.
actor InFlight {
  private(set) var now = 0
  private(set) var most = 0
  private(set) var started: [Int] = []

  func enter(_ item: Int) {
    now += 1
    most = max(most, now)
    started.append(item)
  }

  func leave() { now -= 1 }
}

/// Progress reports, in order.
final class ProgressLog: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [(Int, Int)] = []
  func record(_ done: Int, _ total: Int) { lock.withLock { stored.append((done, total)) } }
  var reports: [(Int, Int)] { lock.withLock { stored } }
}

@Suite struct FanOutTests {
  @Test func atMostConcurrencyRunAtOnceAndAnswersKeepTheItemsOrder() async throws {
    let flight = InFlight()
    let progress = ProgressLog()
    let items = Array(0..<40)
    let answers = try await FanOut.map(
      items, concurrency: 8, source: .twilioUsers, progress: progress.record
    ) { item -> String in
      await flight.enter(item)
      // Later items end sooner: answers arrive out of order.
      try await Task.sleep(for: .milliseconds(2 + (40 - item) % 7))
      await flight.leave()
      return "answer \(item)"
    }
    #expect(answers == items.map { "answer \($0)" })
    #expect(await flight.most == 8)
    #expect(await flight.now == 0)
    #expect(progress.reports.map(\.0) == Array(1...40))
    #expect(progress.reports.allSatisfy { $0.1 == 40 })
  }

  @Test func concurrencyBelowOneIsOneAndNoItemsIsNoWork() async throws {
    let flight = InFlight()
    let answers = try await FanOut.map([1, 2, 3], concurrency: 0, source: .twilioUsers) {
      item -> Int in
      await flight.enter(item)
      try await Task.sleep(for: .milliseconds(1))
      await flight.leave()
      return item * 2
    }
    #expect(answers == [2, 4, 6])
    #expect(await flight.most == 1)
    let none = try await FanOut.map([Int](), source: .twilioUsers) { $0 }
    #expect(none.isEmpty)
  }

  @Test func theFirstErrorEndsTheBatchAndNothingMoreStarts() async throws {
    struct Boom: Error {}
    let flight = InFlight()
    await #expect(throws: Boom.self) {
      _ = try await FanOut.map(Array(0..<100), concurrency: 4, source: .twilioUsers) {
        item -> Int in
        await flight.enter(item)
        if item == 5 { throw Boom() }
        try await Task.sleep(for: .milliseconds(5))
        await flight.leave()
        return item
      }
    }
    #expect(await flight.started.count < 20)
  }

  @Test func oneDeadlineBoundsTheWholeBatch() async throws {
    let flight = InFlight()
    do {
      _ = try await FanOut.map(
        Array(0..<50), concurrency: 2, deadline: .milliseconds(300), source: .twilioUsers
      ) { item -> Int in
        await flight.enter(item)
        // Each one alone is quick; all 50, two at a time, take 25 s.
        try await Task.sleep(for: .seconds(1))
        return item
      }
      Issue.record("the batch ended without the deadline's error")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("did not end within"), "\(error)")
      #expect(error.exitCode == 1)
    }
    // The operations left were never started (a bound that does not depend on how busy
    // the machine is: a wall-clock bound failed once at 10.5 s under a stress run).
    #expect(await flight.started.count < 20)
  }
}
