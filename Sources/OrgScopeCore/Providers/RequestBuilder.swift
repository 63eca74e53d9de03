/// One query parameter, in the order it is sent.
public struct QueryItem: Sendable, Hashable {
  public var name: String
  public var value: String
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// Builds the absolute, percent-encoded URLs that providers send. Only RFC 3986 unreserved
/// characters stay literal, so `name.contains` keeps its dot (Cloudflare reads it as a flat
/// name) and a space is `%20`, never `+`.
public enum RequestBuilder {
  /// `base` (origin and path prefix) + `path` + `?` + the items in order.
  /// `path` starts with `/`; encode variable segments with `pathSegment(_:)`.
  public static func url(base: BaseURL, path: String, query: [QueryItem] = []) -> String {
    var url = base.origin + base.pathPrefix + path
    if !query.isEmpty {
      url += "?"
      url += query.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    }
    return url
  }

  /// A GET request for `url`.
  public static func get(
    base: BaseURL, path: String, query: [QueryItem] = [], headers: [Header] = []
  ) -> HTTPRequestSpec {
    var headers = headers
    if !headers.contains(where: { $0.name.lowercased() == "accept" }) {
      headers.append(Header("Accept", "application/json"))
    }
    return HTTPRequestSpec(
      method: .get, url: url(base: base, path: path, query: query), headers: headers)
  }

  /// A GET request for a URL the server gave (a next-page link), sent as it is.
  public static func get(url: String) -> HTTPRequestSpec {
    HTTPRequestSpec(method: .get, url: url, headers: [Header("Accept", "application/json")])
  }

  /// One path segment with everything but unreserved characters encoded (a `/` in an id
  /// cannot change the path).
  public static func pathSegment(_ text: String) -> String { encode(text) }

  /// Percent-encodes all but `A-Z a-z 0-9 - . _ ~`, with upper-case hex.
  public static func encode(_ text: String) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      if isUnreserved(byte) {
        output.append(byte)
      } else {
        output.append(0x25)
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The value of the first query parameter `name` in `url` (percent-decoded), if any.
  public static func queryValue(_ name: String, in url: String) -> String? {
    guard let question = url.firstIndex(of: "?") else { return nil }
    var query = url[url.index(after: question)...]
    if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      if decode(parts[0]) == name { return parts.count > 1 ? decode(parts[1]) : "" }
    }
    return nil
  }

  /// Percent-decodes `text`; `+` is a space (form encoding, as servers' next URLs may use).
  static func decode(_ text: Substring) -> String {
    var output: [UInt8] = []
    var bytes = text.utf8[...]
    while let byte = bytes.popFirst() {
      if byte == 0x25, bytes.count >= 2, let high = hexValue(bytes[bytes.startIndex]),
        let low = hexValue(bytes[bytes.index(after: bytes.startIndex)])
      {
        output.append(high << 4 | low)
        bytes = bytes.dropFirst(2)
      } else if byte == 0x2B {
        output.append(0x20)
      } else {
        output.append(byte)
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
    default: return false
    }
  }
}
