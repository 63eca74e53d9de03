import Foundation
import NIOHTTP1
import OrgScopeCore
import OrgScopeSandbox
import Testing

@Suite struct SandboxServerTests {
  @Test func environmentPublishesEveryVariableOrgscopeNeeds() async throws {
    try await withSandbox { sandbox, _ in
      let env = sandbox.environment
      // The form each official SDK takes: the real host's place, the real paths below it.
      #expect(env["ORGSCOPE_TWILIO_IAM_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_TWILIO_PREVIEW_IAM_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_TWILIO_OAUTH_URL"] == sandbox.baseURL)
      #expect(env["CLOUDFLARE_BASE_URL"] == sandbox.baseURL + "/client/v4")
      #expect(env["ORGSCOPE_SENDGRID_URL"] == sandbox.baseURL)
      #expect(env["ORGSCOPE_HUAWEI_URL"] == sandbox.baseURL)
      #expect(env["TWILIO_ORGANIZATION_SID"] == sandbox.twilioOrganizationSID)
      #expect(env["CLOUDFLARE_ORGANIZATION_ID"] == sandbox.cloudflareOrganizationID)
      for name in [
        "TWILIO_CLIENT_ID", "TWILIO_CLIENT_SECRET", "CLOUDFLARE_API_TOKEN", "SENDGRID_API_KEY",
        "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK",
      ] {
        #expect(env[name]?.isEmpty == false, "missing \(name)")
        #expect(sandbox.exportLines.contains("export \(name)='"))
      }
      #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
      #expect(sandbox.port > 0)
    }
  }

  @Test func sameSeedGivesSameDataAndOtherSeedDiffers() async throws {
    func firstPage(seed: UInt64) async throws -> [UInt8] {
      try await withSandbox(SandboxOptions(accounts: 30, seed: seed)) { _, client in
        try await client.send(
          "/sendgrid/v3/partners/accounts?limit=30",
          headers: [("Authorization", "Bearer \(SandboxCredentials.sendGridAPIKey)")]
        ).body
      }
    }
    let one = try await firstPage(seed: 7)
    #expect(try await firstPage(seed: 7) == one)
    #expect(try await firstPage(seed: 8) != one)
  }

  @Test func namesIncludeNonASCIIWideEmojiAndHostileText() async throws {
    try await withSandbox(SandboxOptions(accounts: 300)) { sandbox, client in
      let token = try await client.twilioToken()
      let reply = try await client.send(
        "/twilio-preview-iam/Organizations/\(sandbox.twilioOrganizationSID)/Accounts?PageSize=100",
        headers: [("Authorization", "Bearer \(token)")])
      let names = try #require(reply.json).objects("content").compactMap {
        $0["friendly_name"] as? String
      }
      let scalars = names.flatMap(\.unicodeScalars)
      #expect(scalars.contains { $0.value == 0x1B }, "an escape sequence")
      #expect(scalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "a CJK name")
      #expect(scalars.contains { $0.properties.isEmojiPresentation }, "an emoji")
      #expect(names.contains { $0.contains("ü") || $0.contains("ã") }, "a non-ASCII name")
    }
  }

  @Test func requestLogRecordsMethodPathQueryAndHeaders() async throws {
    try await withSandbox { _, client in
      _ = try await client.send(
        "/sendgrid/v3/partners/accounts?limit=3&offset=", headers: [("X-Probe", "yes")])
      let log = await client.sandbox.requestLog
      let entry = try #require(log.last)
      #expect(entry.method == "GET")
      #expect(entry.path == "/sendgrid/v3/partners/accounts")
      #expect(entry.rawQuery == "limit=3&offset=")
      #expect(entry.parameter("limit") == "3")
      #expect(entry.header("x-probe") == "yes")
      #expect(entry.header("Host")?.hasPrefix("127.0.0.1:") == true)
      await client.sandbox.clearRequestLog()
      #expect(await client.sandbox.requestLog.isEmpty)
    }
  }

  @Test func unknownPathsGetTheProviderErrorFormat() async throws {
    try await withSandbox { _, client in
      let reply = try await client.send("/sendgrid/v3/nothing")
      #expect(reply.status == 404)
      #expect(reply.json?.objects("errors").first?["error_id"] is String)
      #expect(try await client.send("/elsewhere").status == 404)
    }
  }

  @Test func invalidOptionsAreRefusedAtStart() async throws {
    await #expect(throws: SandboxError.self) {
      _ = try await Sandbox.start(SandboxOptions(failRate: 2))
    }
    await #expect(throws: SandboxError.self) {
      _ = try await Sandbox.start(SandboxOptions(port: 70_000))
    }
  }

  @Test func aBusyPortIsAStartError() async throws {
    try await withSandbox { sandbox, _ in
      await #expect(throws: SandboxError.self) {
        let second = try await Sandbox.start(SandboxOptions(port: sandbox.port))
        await second.stop()
      }
    }
  }
}

// MARK: - hardening: hostile input, each test named after what the trial did

#if canImport(Glibc)
  import Glibc
#endif

/// A plain TCP connection to 127.0.0.1, for clients that misbehave on purpose.
final class RawConnection: @unchecked Sendable {
  let fd: Int32

  /// Connects; reads give up after `receiveTimeout` seconds (a bound, not an assertion).
  init(port: Int, receiveTimeout: Int = 30) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      close(fd)
      throw POSIXError(.ECONNREFUSED)
    }
  }

  deinit { close(fd) }

  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// `readUntilClosed`, on a thread of its own: a blocking read must not hold one of the
  /// few cooperative threads the sandbox in this process needs to answer.
  func untilClosed() async -> (text: String, closed: Bool) {
    await offPool { self.readUntilClosed() }
  }

  /// `read(until:)` off the cooperative pool.
  func reading(until marker: String) async -> String {
    await offPool { self.read(until: marker) }
  }

  private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      Thread.detachNewThread { continuation.resume(returning: work()) }
    }
  }

  /// Reads until the peer closes (returns what was read, `closed` true) or the receive
  /// timeout passes (`closed` false).
  func readUntilClosed() -> (text: String, closed: Bool) {
    var all: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count == 0 { return (String(decoding: all, as: UTF8.self), true) }
      if count < 0 {
        if errno == EINTR { continue }
        // ECONNRESET is a close too; EAGAIN is the receive timeout.
        return (String(decoding: all, as: UTF8.self), errno == ECONNRESET)
      }
      all.append(contentsOf: buffer[0..<count])
    }
  }

  /// Reads until `marker` has arrived, or the connection ends or times out.
  func read(until marker: String) -> String {
    var all: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !String(decoding: all, as: UTF8.self).contains(marker) {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { break }
      all.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: all, as: UTF8.self)
  }
}

final class LogLines: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func add(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

@Suite struct HardeningSandboxTests {
  /// Every API at the path of the real host, as the official SDKs send it.
  @Test func everyAPIIsAlsoServedAtItsRealPathOnTheRoot() async throws {
    try await withSandbox { sandbox, client in
      let bearer = ("Authorization", "Bearer \(SandboxCredentials.sendGridAPIKey)")
      #expect(
        try await client.send("/v3/partners/accounts?limit=5", headers: [bearer]).status == 200)
      let cloudflare = try await client.send(
        "/client/v4/organizations/\(sandbox.cloudflareOrganizationID)/accounts",
        headers: [("Authorization", "Bearer \(SandboxCredentials.cloudflareAPIToken)")])
      #expect(cloudflare.status == 200)
      #expect(try await client.huawei("/v1/organizations/accounts?limit=5").status == 200)
      let form =
        "grant_type=client_credentials&client_id=\(SandboxCredentials.twilioClientID)"
        + "&client_secret=\(SandboxCredentials.twilioClientSecret)"
      for path in ["/v2/token", "/v1/token"] {
        let reply = try await client.send(
          .POST, path, headers: [("Content-Type", "application/x-www-form-urlencoded")],
          body: form)
        #expect(reply.status == 200, "\(path)")
      }
      let token = try await client.twilioToken()
      let twilio = ("Authorization", "Bearer \(token)")
      #expect(
        try await client.send(
          "/Organizations/\(sandbox.twilioOrganizationSID)/Accounts", headers: [twilio]
        ).status == 200)
      #expect(try await client.send("/v2/Organizations/Roles", headers: [twilio]).status == 200)
      // The prefixed paths still work.
      #expect(
        try await client.send("/sendgrid/v3/partners/accounts", headers: [bearer]).status == 200)
    }
  }

  /// orgscope itself lists every source through the printed variables (root URLs).
  @Test func orgscopeListsEverySourceThroughThePrintedVariables() async throws {
    try await withSandbox(SandboxOptions(accounts: 40, roles: 12)) { sandbox, _ in
      let configuration = try Configuration.load(environment: sandbox.environment, readFile: false)
      let transport = HTTPClientTransport(environment: [:])
      do {
        for setup in configuration.makeSources(transport: transport) {
          let client = try #require(setup.client, "\(setup.source)")
          var count = 0
          for try await page in client.pages(query: Query()) { count += page.records.count }
          #expect(count > 0, "\(setup.source)")
        }
      } catch {
        await transport.shutdown()
        throw error
      }
      await transport.shutdown()
      #expect(sandbox.exportLines.contains("export ORGSCOPE_HUAWEI_URL='\(sandbox.baseURL)'\n"))
    }
  }

  /// The trial: 300 slowloris connections held the sandbox open.
  @Test(.timeLimit(.minutes(10))) func aSlowlorisHeadIsClosedAtTheHeaderTimeout() async throws {
    var options = SandboxOptions(accounts: 5, roles: 2)
    options.headerTimeoutSeconds = 0.3
    try await withSandbox(options) { sandbox, _ in
      let connection = try RawConnection(port: sandbox.port)
      connection.send("GET /v3/partners/accounts HTTP/1.1\r\nHost: x\r\n")
      // The head never ends: the server must close it (the read bound is 30 s).
      let (text, closed) = await connection.untilClosed()
      #expect(closed)
      #expect(text.isEmpty || text.hasPrefix("HTTP/1.1 408"))
      // An idle connection is closed the same way.
      let idle = try RawConnection(port: sandbox.port)
      #expect(await idle.untilClosed().closed)
      // A whole request is still answered.
      let good = try RawConnection(port: sandbox.port)
      good.send("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
      #expect(await good.reading(until: "\r\n\r\n").hasPrefix("HTTP/1.1 404"))
    }
  }

  /// Issue 22: a request whose body never completes held its connection forever (300 of
  /// them stopped the sandbox answering). The body is on the same clock as the head.
  @Test(.timeLimit(.minutes(1))) func aBodyThatNeverCompletesIsClosedAtTheTimeout() async throws {
    var options = SandboxOptions(accounts: 5, roles: 2)
    options.headerTimeoutSeconds = 0.5
    try await withSandbox(options) { sandbox, _ in
      let connection = try RawConnection(port: sandbox.port)
      let started = ContinuousClock.now
      connection.send(
        "POST /v2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type="
      )
      let (_, closed) = await connection.untilClosed()
      #expect(closed)
      // Closed by the timeout, not by a client that gave up (which would take minutes).
      #expect(ContinuousClock.now - started < .seconds(60))
      // A whole request with a body is still answered.
      let good = try RawConnection(port: sandbox.port)
      good.send(
        "POST /v2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b"
      )
      #expect(await good.reading(until: "\r\n\r\n").hasPrefix("HTTP/1.1 "))
    }
  }

  /// The trial: 20,000 idle connections exhausted the sandbox's descriptors.
  @Test(.timeLimit(.minutes(10))) func connectionsBeyondTheCapWaitAndTheCapIsLogged()
    async throws
  {
    var options = SandboxOptions(accounts: 5, roles: 2)
    options.maxConnections = 2
    options.headerTimeoutSeconds = 30
    let log = LogLines()
    let sandbox = try await Sandbox.start(options, log: { log.add($0) })
    do {
      let first = try RawConnection(port: sandbox.port)
      let second = try RawConnection(port: sandbox.port)
      first.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
      second.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
      #expect(await first.reading(until: "\r\n\r\n").hasPrefix("HTTP/1.1 404"))
      #expect(await second.reading(until: "\r\n\r\n").hasPrefix("HTTP/1.1 404"))
      #expect(log.all.count == 1)
      #expect(log.all.first?.contains("2 connections open, the limit") == true)
      // A third waits in the backlog until one closes, then is served.
      let third = try RawConnection(port: sandbox.port)
      third.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
      shutdown(first.fd, Int32(SHUT_RDWR))
      #expect(await third.reading(until: "\r\n\r\n").hasPrefix("HTTP/1.1 404"))
      _ = second
    }
    await sandbox.stop()
  }
}
