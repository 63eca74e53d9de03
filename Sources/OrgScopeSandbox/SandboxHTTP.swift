import Foundation
import OrgScopeCore

/// A request as the sandbox saw it: what the handlers read and what `requestLog` records.
public struct SandboxRequest: Sendable, Hashable {
  public var method: String
  /// The path as received, percent-encoded, without the query.
  public var path: String
  /// The raw query text after `?` (empty when there is none).
  public var rawQuery: String
  /// Query parameters, decoded (`%XX` and `+`), in the order sent.
  public var query: [Parameter]
  /// Headers in the order received; `Host` included (HTTP/1 sends it as a header).
  public var headers: [Header]
  public var body: [UInt8]

  public struct Parameter: Sendable, Hashable {
    public var name: String
    public var value: String
  }

  public init(method: String, path: String, rawQuery: String, headers: [Header], body: [UInt8]) {
    self.method = method
    self.path = path
    self.rawQuery = rawQuery
    self.query = Self.parseQuery(rawQuery)
    self.headers = headers
    self.body = body
  }

  /// The first value of query parameter `name` (exact, case-sensitive, as servers do).
  public func parameter(_ name: String) -> String? {
    query.first { $0.name == name }?.value
  }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    let lowered = name.lowercased()
    return headers.first { $0.name.lowercased() == lowered }?.value
  }

  static func parseQuery(_ text: String) -> [Parameter] {
    text.split(separator: "&", omittingEmptySubsequences: true).map { item in
      let plain = item.replacingOccurrences(of: "+", with: " ")
      if let equals = plain.firstIndex(of: "=") {
        return Parameter(
          name: PercentEncoding.decode(plain[..<equals]),
          value: PercentEncoding.decode(plain[plain.index(after: equals)...]))
      }
      return Parameter(name: PercentEncoding.decode(plain[...]), value: "")
    }
  }

  /// The decoded pairs of an `application/x-www-form-urlencoded` body.
  func formFields() -> [String: String] {
    var fields: [String: String] = [:]
    for parameter in Self.parseQuery(String(decoding: body, as: UTF8.self))
    where fields[parameter.name] == nil {
      fields[parameter.name] = parameter.value
    }
    return fields
  }
}

/// What a handler answers; turned into a Hummingbird response at the edge.
struct SandboxResponse: Sendable {
  enum Body: Sendable {
    case bytes([UInt8])
    /// Streamed: `prefix`, then `chunk` repeated `count` times, then `suffix`.
    case repeated(prefix: [UInt8], chunk: [UInt8], count: Int, suffix: [UInt8])
  }

  var status: Int
  var headers: [Header]
  var body: Body

  init(status: Int, headers: [Header] = [], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = .bytes(body)
  }

  init(status: Int, headers: [Header], streaming body: Body) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  static func json(_ status: Int, _ json: JSONBuilder, headers: [Header] = []) -> SandboxResponse {
    SandboxResponse(
      status: status, headers: [Header("Content-Type", "application/json")] + headers,
      body: json.bytes)
  }
}

/// Percent-encoding for the URLs the sandbox hands out (`next_page_url`).
enum URLText {
  static func query(_ pairs: [(String, String)]) -> String {
    pairs.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
      .joined(separator: "&")
  }
}
