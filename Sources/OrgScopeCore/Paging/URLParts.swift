import Foundation

/// The parts of an absolute URL that the origin rule needs.
public struct URLParts: Sendable, Hashable {
  public let scheme: String
  public let host: String
  public let port: Int?
  /// Path and query, as sent (starts with `/`).
  public let pathAndQuery: String

  public init?(_ text: String) {
    guard let schemeEnd = text.range(of: "://") else { return nil }
    let scheme = text[..<schemeEnd.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { return nil }
    let rest = text[schemeEnd.upperBound...]
    let delimiters: Set<Character> = ["/", "?", "#"]
    let authorityEnd = rest.firstIndex(where: { delimiters.contains($0) }) ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    if authority.contains("@") { return nil }  // userinfo in a URL is never ours
    var port: Int?
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return nil }
      let after = authority[authority.index(after: close)...]
      if after.hasPrefix(":") {
        guard let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
        port = p
      } else if !after.isEmpty {
        return nil
      }
      authority = authority[...close]
    } else if let colon = authority.lastIndex(of: ":") {
      guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else {
        return nil
      }
      port = p
      authority = authority[..<colon]
    }
    guard !authority.isEmpty else { return nil }
    self.scheme = scheme
    self.host = authority.lowercased()
    self.port = port
    let path = rest[authorityEnd...]
    self.pathAndQuery = path.isEmpty || path.hasPrefix("?") ? "/" + path : String(path)
  }

  public var origin: String { BaseURL.origin(scheme: scheme, host: host, port: port) }

  /// Loopback hosts, where plain http is allowed (the sandbox, tests).
  public var isLoopback: Bool { ProxySettings.isLoopback(host) }
}

extension BaseURL {
  /// Parses a configured base URL. Plain `http://` is refused off loopback.
  public static func parse(_ text: String, source: SourceID) throws -> BaseURL {
    guard let parts = URLParts(text), !parts.pathAndQuery.contains("?") else {
      throw OrgScopeError.configuration("\(source.providerName): invalid base URL \"\(text)\"")
    }
    if parts.scheme == "http" && !parts.isLoopback {
      throw OrgScopeError.configuration(
        "\(source.providerName): plain http base URL \(parts.origin) refused; use https (http only on loopback)"
      )
    }
    var prefix = parts.pathAndQuery
    while prefix.hasSuffix("/") { prefix.removeLast() }
    return BaseURL(scheme: parts.scheme, host: parts.host, port: parts.port, pathPrefix: prefix)
  }
}
