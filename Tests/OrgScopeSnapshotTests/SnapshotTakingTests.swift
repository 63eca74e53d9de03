import Foundation
import OrgScopeCore
import OrgScopeSandbox
import Synchronization
import Testing

@testable import OrgScopeSnapshot

/// `orgscope snapshot` as a library call: every ready source to the end, a named source
/// that is not configured recorded as an error, the file read back.
@Suite struct SnapshotTakingTests {
  @Test func takeWritesEveryReadySourceAndRecordsAMissingNamedOne() async throws {
    let sandbox = try await Sandbox.start(SandboxOptions(accounts: 120, roles: 15))
    let transport = HTTPClientTransport(environment: [:])
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    do {
      var environment = sandbox.environment
      // SendGrid unconfigured: named below, so its absence is an error in the file.
      for key in environment.keys where key.hasPrefix("SENDGRID_") { environment[key] = nil }
      let configuration = try Configuration.load(environment: environment, readFile: false)
      let setups = configuration.makeSources(transport: transport)
      let temporary = Mutex<[String]>([])
      let counted = Mutex<Set<SourceID>>([])
      let taken = try await SnapshotTaking.take(
        setups: setups, wanted: [.cloudflare, .sendgrid],
        meta: [SnapshotSchema.Key.takenAt: "2026-12-05T00:00:00Z"], path: folder + "/s.db",
        replace: false, redact: { $0 }, created: { path in temporary.withLock { $0.append(path) } },
        progress: { sources in
          #expect(sources == [.cloudflare])
          return { @Sendable source, _ in counted.withLock { _ = $0.insert(source) } }
        })
      #expect(taken.path == folder + "/s.db" && taken.failed && taken.errors.isEmpty)
      #expect(temporary.withLock { $0.count } == 1)
      #expect(counted.withLock { $0 } == [.cloudflare])
      let snapshot = try await SnapshotReader.read(path: taken.path)
      #expect(snapshot.records[.cloudflare]?.count == 120)
      #expect(snapshot.records[.sendgrid] == nil)
      #expect(snapshot.meta[SnapshotSchema.Key.error("sendgrid")]?.contains("SENDGRID") == true)
    } catch {
      await transport.shutdown()
      await sandbox.stop()
      throw error
    }
    await transport.shutdown()
    await sandbox.stop()
  }
}
