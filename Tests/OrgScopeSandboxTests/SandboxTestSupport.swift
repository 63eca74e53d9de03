import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OrgScopeCore
import OrgScopeSandbox
import Testing

/// A response read whole, with its JSON parsed when it is JSON.
struct Reply {
  var status: Int
  var headers: HTTPHeaders
  var body: [UInt8]

  var json: [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
  }

  var text: String { String(decoding: body, as: UTF8.self) }
}

/// Talks to a sandbox with AsyncHTTPClient directly (not orgscope's own client).
struct SandboxClient {
  let sandbox: RunningSandbox
  var readTimeout: TimeAmount = .seconds(30)

  init(_ sandbox: RunningSandbox) { self.sandbox = sandbox }

  func send(
    _ method: NIOHTTP1.HTTPMethod, _ pathAndQuery: String, headers: [(String, String)] = [],
    body: String? = nil
  ) async throws -> Reply {
    try await send(pathAndQuery, method: method, headers: headers, body: body)
  }

  func send(
    _ pathAndQuery: String, method: NIOHTTP1.HTTPMethod = .GET,
    headers: [(String, String)] = [], body: String? = nil
  ) async throws -> Reply {
    var request = HTTPClientRequest(url: sandbox.baseURL + pathAndQuery)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(string: body)) }
    let response = try await HTTPClient.shared.execute(request, timeout: readTimeout)
    let buffer = try await response.body.collect(upTo: 16 << 20)
    return Reply(
      status: Int(response.status.code), headers: response.headers,
      body: Array(buffer.readableBytesView))
  }

  func twilioToken() async throws -> String {
    let reply = try await send(
      .POST, "/twilio-oauth/v2/token",
      headers: [("Content-Type", "application/x-www-form-urlencoded")],
      body: "grant_type=client_credentials&client_id=\(SandboxCredentials.twilioClientID)"
        + "&client_secret=\(SandboxCredentials.twilioClientSecret)")
    let token = try #require(reply.json?["access_token"] as? String)
    return token
  }

  /// A Huawei request signed with orgscope's signer at `date`.
  func huawei(
    _ pathAndQuery: String, secretKey: String = SandboxCredentials.huaweiSecretKey,
    securityToken: String? = nil, date: Date = Date()
  ) async throws -> Reply {
    var spec = HTTPRequestSpec(url: sandbox.baseURL + pathAndQuery)
    try HuaweiSigner.sign(
      &spec, accessKey: SandboxCredentials.huaweiAccessKey, secretKey: secretKey,
      securityToken: securityToken, date: date)
    return try await send(pathAndQuery, headers: spec.headers.map { ($0.name, $0.value) })
  }
}

/// A clock the test moves by hand, for the sandbox's token lifetimes.
final class SandboxClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current = Date(timeIntervalSince1970: 1_700_000_000)
  var now: Date { lock.withLock { current } }
  func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}

@discardableResult
func withSandbox<T>(
  _ options: SandboxOptions = SandboxOptions(accounts: 237, roles: 130),
  now: @escaping @Sendable () -> Date = { Date() },
  _ body: (RunningSandbox, SandboxClient) async throws -> T
) async throws -> T {
  let sandbox = try await Sandbox.start(options, now: now)
  do {
    let result = try await body(sandbox, SandboxClient(sandbox))
    await sandbox.stop()
    return result
  } catch {
    await sandbox.stop()
    throw error
  }
}

extension Dictionary where Key == String, Value == Any {
  func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
  func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
}

/// The path and query of an absolute URL on the sandbox.
func pathAndQuery(_ url: String, of sandbox: RunningSandbox) throws -> String {
  #expect(url.hasPrefix(sandbox.baseURL + "/"), "URL \(url) is not on the sandbox origin")
  return String(url.dropFirst(sandbox.baseURL.count))
}
