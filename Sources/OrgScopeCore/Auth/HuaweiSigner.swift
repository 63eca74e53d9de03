import Crypto
import Foundation

/// Huawei Cloud `SDK-HMAC-SHA256` request signing, as the official SDKs do it. The functions
/// are pure so the sandbox can verify a signature with the very same code that made it.
public enum HuaweiSigner {
  /// The algorithm name, first word of the `Authorization` header and of the string to sign.
  public static let algorithm = "SDK-HMAC-SHA256"

  /// The `X-Sdk-Date` text of `date`: `yyyyMMdd'T'HHmmss'Z'` in UTC.
  public static func sdkDate(_ date: Date) -> String {
    Timestamp.sdkDate(Int64(date.timeIntervalSince1970.rounded(.down)))
  }

  /// The canonical URI: each segment of the (decoded) `path` encoded, trailing `/` added.
  public static func canonicalURI(_ path: String) -> String {
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
      .map { PercentEncoding.encode(PercentEncoding.decode($0)) }
    var uri = segments.joined(separator: "/")
    if !uri.hasPrefix("/") { uri = "/" + uri }
    if !uri.hasSuffix("/") { uri += "/" }
    return uri
  }

  /// The canonical query: keys and values encoded, sorted by key then value, `k=v` by `&`.
  /// `query` is the raw (already percent-encoded) text after `?`, without the `?`.
  /// Sorting is on the decoded bytes, as the SDKs sort before they encode.
  public static func canonicalQuery(_ query: String) -> String {
    let sorted = queryPairs(query).sorted { left, right in
      if left.key != right.key { return bytesPrecede(left.key, right.key) }
      return bytesPrecede(left.value, right.value)
    }
    return sorted.map { PercentEncoding.encode($0.key) + "=" + PercentEncoding.encode($0.value) }
      .joined(separator: "&")
  }

  private static func bytesPrecede(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
  }

  /// The decoded key/value pairs of a raw query string, in their order.
  public static func queryPairs(_ query: String) -> [(key: String, value: String)] {
    query.split(separator: "&", omittingEmptySubsequences: true).map { item in
      if let equals = item.firstIndex(of: "=") {
        return (
          PercentEncoding.decode(item[..<equals]),
          PercentEncoding.decode(item[item.index(after: equals)...])
        )
      }
      return (PercentEncoding.decode(item), "")
    }
  }

  /// The header names that get signed: lower-cased, sorted, without `content-type*` and
  /// without names containing `_` (proxies drop those, so the server would never see them).
  public static func signedHeaderNames(_ headers: [Header]) -> [String] {
    let names = headers.map { $0.name.lowercased() }
      .filter { !$0.hasPrefix("content-type") && !$0.contains("_") }
    return Array(Set(names)).sorted(by: bytesPrecede)
  }

  /// The canonical request text that gets hashed into the string to sign.
  public static func canonicalRequest(
    method: String, path: String, query: String, headers: [Header], signedHeaders: [String],
    body: [UInt8]
  ) -> String {
    var canonicalHeaders = ""
    for name in signedHeaders {
      let value = headers.first { $0.name.lowercased() == name }?.value ?? ""
      canonicalHeaders += name + ":" + value.trimmingCharacters(in: .whitespaces) + "\n"
    }
    return [
      method.uppercased(), canonicalURI(path), canonicalQuery(query), canonicalHeaders,
      signedHeaders.joined(separator: ";"), hex(SHA256.hash(data: body)),
    ].joined(separator: "\n")
  }

  /// The string to sign: algorithm, `X-Sdk-Date`, hash of the canonical request.
  public static func stringToSign(canonicalRequest: String, date: String) -> String {
    algorithm + "\n" + date + "\n" + hex(SHA256.hash(data: Array(canonicalRequest.utf8)))
  }

  /// The hex signature of a request. `headers` must include every header named in
  /// `signedHeaders` (at least `host` and `x-sdk-date`, whose value must equal `date`).
  /// `signedHeaders` nil means all eligible headers (`signedHeaderNames(headers)`).
  public static func signature(
    method: String, path: String, query: String, headers: [Header],
    signedHeaders: [String]? = nil, body: [UInt8], secretKey: String, date: String
  ) -> String {
    let names = signedHeaders ?? signedHeaderNames(headers)
    let canonical = canonicalRequest(
      method: method, path: path, query: query, headers: headers, signedHeaders: names, body: body)
    let toSign = stringToSign(canonicalRequest: canonical, date: date)
    let key = SymmetricKey(data: Array(secretKey.utf8))
    let mac = HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: key)
    return hex(mac)
  }

  /// The `Authorization` header value.
  public static func authorizationHeader(
    accessKey: String, signedHeaders: [String], signature: String
  ) -> String {
    "\(algorithm) Access=\(accessKey), SignedHeaders=\(signedHeaders.joined(separator: ";")), "
      + "Signature=\(signature)"
  }

  /// The parts of an `Authorization` header, for verification (sandbox); nil if malformed.
  public static func parseAuthorization(
    _ value: String
  ) -> (accessKey: String, signedHeaders: [String], signature: String)? {
    guard value.hasPrefix(algorithm + " ") else { return nil }
    var fields: [String: String] = [:]
    for part in value.dropFirst(algorithm.count + 1).split(separator: ",") {
      let item = part.trimmingCharacters(in: .whitespaces)
      guard let equals = item.firstIndex(of: "=") else { return nil }
      fields[String(item[..<equals])] = String(item[item.index(after: equals)...])
    }
    guard let access = fields["Access"], let signed = fields["SignedHeaders"],
      let signature = fields["Signature"]
    else { return nil }
    return (access, signed.split(separator: ";").map(String.init), signature)
  }

  /// Signs `request` in place: sets `X-Sdk-Date`, `Host`, `X-Security-Token` (when given)
  /// and `Authorization`. Throws when the URL cannot be parsed.
  public static func sign(
    _ request: inout HTTPRequestSpec, accessKey: String, secretKey: String,
    securityToken: String?, date: Date
  ) throws {
    guard let parts = URLParts(request.url) else {
      throw OrgScopeError.refusedURL(source: .huawei, message: "cannot sign an invalid URL")
    }
    let dateText = sdkDate(date)
    request.setHeader("X-Sdk-Date", dateText)
    let defaultPort = parts.scheme == "https" ? 443 : 80
    if let port = parts.port, port != defaultPort {
      request.setHeader("Host", "\(parts.host):\(port)")
    } else {
      request.setHeader("Host", parts.host)
    }
    if let securityToken, !securityToken.isEmpty {
      request.setHeader("X-Security-Token", securityToken)
    }
    request.headers.removeAll { $0.name.lowercased() == "authorization" }
    var path = Substring(parts.pathAndQuery)
    if let hash = path.firstIndex(of: "#") { path = path[..<hash] }
    var query = Substring("")
    if let mark = path.firstIndex(of: "?") {
      query = path[path.index(after: mark)...]
      path = path[..<mark]
    }
    let names = signedHeaderNames(request.headers)
    let signature = signature(
      method: request.method.rawValue, path: String(path), query: String(query),
      headers: request.headers, signedHeaders: names, body: request.body, secretKey: secretKey,
      date: dateText)
    request.setHeader(
      "Authorization",
      authorizationHeader(accessKey: accessKey, signedHeaders: names, signature: signature))
  }

  static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Signs every Huawei Cloud request with the AK/SK (and the security token of temporary
/// credentials). Static keys cannot be renewed, so `invalidate()` returns false.
public struct HuaweiAuthenticator: Authenticator {
  public let accessKey: String
  public let secretKey: String
  public let securityToken: String?
  /// The clock, so tests can sign at a fixed time.
  public let now: @Sendable () -> Date

  public init(
    accessKey: String, secretKey: String, securityToken: String? = nil,
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.accessKey = accessKey
    self.secretKey = secretKey
    self.securityToken = securityToken
    self.now = now
  }

  public var secrets: [String] {
    [secretKey, securityToken].compactMap { $0 }.filter { !$0.isEmpty }
  }

  public func authorize(_ request: inout HTTPRequestSpec, transport: any HTTPTransport) async throws
  {
    try HuaweiSigner.sign(
      &request, accessKey: accessKey, secretKey: secretKey, securityToken: securityToken,
      date: now())
  }

  public func invalidate() async -> Bool { false }
}
