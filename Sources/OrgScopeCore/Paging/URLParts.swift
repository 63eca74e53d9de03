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

  /// Loopback hosts, where plain http is allowed (the sandbox, tests): the literals and
  /// `localhost` (`ProxySettings.isLoopback`), and a `NAME.localhost` that resolves to
  /// loopback addresses only (`LoopbackName`; the transport then connects to the address
  /// it resolved, so a second lookup cannot send the request elsewhere).
  public var isLoopback: Bool { isLoopback(resolving: LoopbackName.addresses) }

  func isLoopback(resolving resolve: (String) -> [String]) -> Bool {
    ProxySettings.isLoopback(host) || LoopbackName.address(of: host, resolving: resolve) != nil
  }

  /// `text` without the userinfo of its authority (`user:pass@`), made visible: a URL as
  /// a message may show it.
  public static func shown(_ text: String) -> String {
    guard let schemeEnd = text.range(of: "://") else { return Sanitizer.visible(text) }
    let rest = text[schemeEnd.upperBound...]
    let delimiters: Set<Character> = ["/", "?", "#"]
    let authorityEnd = rest.firstIndex(where: { delimiters.contains($0) }) ?? rest.endIndex
    guard let at = rest[..<authorityEnd].lastIndex(of: "@") else {
      return Sanitizer.visible(text)
    }
    return Sanitizer.visible(
      String(text[..<schemeEnd.upperBound]) + "(userinfo not shown)@"
        + String(text[rest.index(after: at)...]))
  }
}

/// `NAME.localhost` (RFC 6761): loopback only when the system resolves it to loopback
/// addresses and nothing else; a resolver that sends it to DNS could answer anything.
public enum LoopbackName {
  /// The loopback address `host` stands for (`127.0.0.1`, `[::1]`), when it is a
  /// `.localhost` name that resolves to loopback addresses only; else nil.
  static func address(of host: String, resolving resolve: (String) -> [String]) -> String? {
    guard host.hasSuffix(".localhost"), host.count > ".localhost".count else { return nil }
    let addresses = resolve(host)
    guard !addresses.isEmpty,
      addresses.allSatisfy({ ProxySettings.isLoopback($0.contains(":") ? "[\($0)]" : $0) })
    else { return nil }
    let first = addresses.first { !$0.contains(":") } ?? addresses[0]
    return first.contains(":") ? "[\(first)]" : first
  }

  /// `url` with a `.localhost` host that resolves to loopback only replaced by that
  /// address, and the `Host` header it needs; nil for any other URL.
  static func pinned(_ url: String, resolving resolve: (String) -> [String] = addresses) -> (
    url: String, host: String
  )? {
    guard let parts = URLParts(url), let address = address(of: parts.host, resolving: resolve)
    else { return nil }
    let port = parts.port.map { ":\($0)" } ?? ""
    return ("\(parts.scheme)://\(address)\(port)\(parts.pathAndQuery)", parts.host + port)
  }

  /// The numeric addresses the system resolves `host` to (none when it does not).
  static func addresses(_ host: String) -> [String] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
    defer { freeaddrinfo(list) }
    var found: [String] = []
    var node = list
    while let current = node, found.count < 64 {
      var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      if getnameinfo(
        current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count),
        nil, 0, NI_NUMERICHOST) == 0
      {
        found.append(String(cString: buffer))
      }
      node = current.pointee.ai_next
    }
    return found
  }
}

extension BaseURL {
  /// Parses a configured base URL. Plain `http://` is refused off loopback.
  public static func parse(_ text: String, source: SourceID) throws -> BaseURL {
    guard let parts = URLParts(text), !parts.pathAndQuery.contains("?") else {
      throw OrgScopeError.configuration(
        "\(source.providerName): invalid base URL \"\(URLParts.shown(text))\"")
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
