import Foundation
import OrgScopeCore
import Testing

@testable import OrgScopeSnapshot

/// Crafted snapshot files at random (issue 22, item 8): a real snapshot with bytes changed
/// at fixed seeds, read with small bounds. Each case gives a snapshot or a `SnapshotError`
/// within its time budget: no crash, no hang, and no control character in what is read of
/// the meta. The case count bounds the run to a few seconds.
@Suite struct SnapshotFuzzTests {
  /// SplitMix64: a failing case is replayed by its seed.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let cases = 150

  @Test(.timeLimit(.minutes(2))) func mutatedSnapshotFilesAreReadOrRefusedWithinBounds()
    async throws
  {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let original = folder + "/original.db"
    let writer = try await SnapshotWriter.create(path: original, replace: false)
    try await writer.insert(
      (0..<40).map { record("a\($0)", "Account \($0) \u{1B}[2J") }, source: .cloudflare)
    try await writer.insert(
      [role("IX1", allow: ["/twilio/*"], deny: ["/twilio/billing/*"])], source: .twilioRoles)
    _ = try await writer.finish(meta: [
      "taken_at": "2026-12-02T11:40:07Z", "count.cloudflare": "40", "count.twilio-roles": "1",
      "error.huawei": "Huawei Cloud: HTTP 500",
    ])
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: original)))
    let limits = SnapshotReader.Limits(
      maxRecordsPerSource: 1000, maxValueBytes: 64 << 10, maxMetaRows: 100,
      queryTime: .seconds(5))
    var read = 0
    var refused = 0
    for seed in 0..<Self.cases {
      var random = Seeded(state: UInt64(seed))
      var mutated = bytes
      for _ in 0..<Int.random(in: 1...12, using: &random) {
        // Mostly the pages after the header; sometimes the header itself.
        let position =
          Bool.random(using: &random)
          ? Int.random(in: 0..<min(100, mutated.count), using: &random)
          : Int.random(in: 0..<mutated.count, using: &random)
        mutated[position] = UInt8.random(in: 0...255, using: &random)
      }
      let path = folder + "/case-\(seed).db"
      try Data(mutated).write(to: URL(fileURLWithPath: path))
      let started = ContinuousClock.now
      do {
        let snapshot = try await SnapshotReader.read(path: path, limits: limits)
        read += 1
        for (key, value) in snapshot.meta {
          #expect(
            !(key + value).unicodeScalars.contains { !Sanitizer.keeps($0) },
            "seed \(seed): a control character in the meta")
        }
      } catch is SnapshotError {
        refused += 1
      } catch {
        Issue.record("seed \(seed): \(error) is not a SnapshotError")
      }
      // Bounded reading: a hang would take until the time limit; a busy machine is slower.
      #expect(ContinuousClock.now - started < .seconds(60), "seed \(seed) took too long")
      try? FileManager.default.removeItem(atPath: path)
    }
    #expect(read + refused == Self.cases)
  }
}
