import Foundation
import Testing

/// Issue 22, findings 4 and 6, as an admin meets them: a FIFO planted among the snapshots
/// or given as one, and a file an interrupted snapshot left behind.
@Suite struct HardeningSnapshotCLITests {
  @Test func aPlantedFIFOAndALeftoverFileAreReportedWithoutBlocking() async throws {
    let home = NSTemporaryDirectory() + "orgscope-e2e-" + UUID().uuidString
    let folder = home + "/.local/share/orgscope/snapshots"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let environment = Binary.baseEnvironment(home: home)
    let taken = try await Binary.run(
      ["snapshot", "--demo", "--demo-accounts", "50", "-o", folder + "/real.db"],
      environment: environment)
    #expect(taken.status == 0, "\(taken.stderr)")
    #expect(mkfifo(folder + "/planted.db", 0o600) == 0)
    let leftover = folder + "/.real2.db.partial-1-2"
    #expect(FileManager.default.createFile(atPath: leftover, contents: Data("x".utf8)))

    let started = Date()
    let listed = try await Binary.run(["snapshot", "list"], environment: environment, timeout: 20)
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.contains("real.db"))
    #expect(listed.stdout.contains("planted.db (not an orgscope snapshot: not a regular file)"))
    #expect(listed.stdout.contains("unfinished: \(leftover)"))

    for arguments in [
      ["list", "cloudflare", "--snapshot", folder + "/planted.db"],
      ["snapshot", "diff", folder + "/planted.db", folder + "/real.db"],
    ] {
      let refused = try await Binary.run(arguments, environment: environment, timeout: 20)
      #expect(refused.status == 2, "\(arguments): \(refused.stderr)")
      #expect(refused.stderr.contains("not a regular file"), "\(refused.stderr)")
    }
  }
}
