/// One query parameter, in the order it is sent.
public struct QueryItem: Sendable, Hashable {
  public var name: String
  public var value: String
  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }
}

/// Builds the absolute, percent-encoded URLs that providers send (`PercentEncoding`: only
/// RFC 3986 unreserved characters stay literal, so `name.contains` keeps its dot, which
/// Cloudflare reads as a flat name).
public enum RequestBuilder {
  /// `base` (origin and path prefix) + `path` + `?` + the items in order.
  /// `path` starts with `/`; encode variable segments with `pathSegment(_:)`.
  public static func url(base: BaseURL, path: String, query: [QueryItem] = []) -> String {
    var url = base.origin + base.pathPrefix + path
    if !query.isEmpty {
      url += "?"
      url += query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
        .joined(separator: "&")
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
  public static func pathSegment(_ text: String) -> String { PercentEncoding.encode(text) }

  /// The value of the first query parameter `name` in `url` (percent-decoded), if any.
  public static func queryValue(_ name: String, in url: String) -> String? {
    guard let question = url.firstIndex(of: "?") else { return nil }
    var query = url[url.index(after: question)...]
    if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard PercentEncoding.decode(parts[0], plusIsSpace: true) == name else { continue }
      return parts.count > 1 ? PercentEncoding.decode(parts[1], plusIsSpace: true) : ""
    }
    return nil
  }
}
