import Foundation

/// An HTTP proxy from `HTTPS_PROXY`/`HTTP_PROXY`: host, port and optional basic credentials.
public struct ProxyServer: Sendable, Hashable {
  public var host: String
  public var port: Int
  public var username: String?
  public var password: String?

  public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
  }

  /// Parses `http://[user:pass@]host[:port][/]` or `host[:port]` (port 1080 by default, as
  /// curl does). Returns nil for an empty or unusable value.
  public init?(_ text: String) {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    if let scheme = rest.range(of: "://") {
      let name = rest[..<scheme.lowerBound].lowercased()
      // `https://` proxies (TLS to the proxy) are treated as plain HTTP proxies: AHC
      // has no TLS-to-proxy mode, and CONNECT still tunnels TLS to the origin.
      guard name == "http" || name == "https" else { return nil }
      rest = rest[scheme.upperBound...]
    }
    if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
    if let at = rest.lastIndex(of: "@") {
      let userinfo = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = userinfo.firstIndex(of: ":") {
        username = HuaweiSigner.decode(userinfo[..<colon])
        password = HuaweiSigner.decode(userinfo[userinfo.index(after: colon)...])
      } else {
        username = HuaweiSigner.decode(userinfo)
      }
    }
    var port = 1080
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return nil }
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") {
        guard let value = Int(after.dropFirst()) else { return nil }
        port = value
      }
      rest = rest[rest.index(after: rest.startIndex)..<close]
    } else if let colon = rest.lastIndex(of: ":") {
      guard let value = Int(rest[rest.index(after: colon)...]) else { return nil }
      port = value
      rest = rest[..<colon]
    }
    guard !rest.isEmpty, (1...65535).contains(port) else { return nil }
    self.host = rest.lowercased()
    self.port = port
  }
}

/// Which proxy, if any, a request goes through: `https_proxy`/`HTTPS_PROXY` for https,
/// `http_proxy`/`HTTP_PROXY` for http, except hosts matched by `no_proxy`/`NO_PROXY`
/// (exact host or domain suffix, `*` for all) and loopback, which is never proxied.
public struct ProxySettings: Sendable, Hashable {
  public var https: ProxyServer?
  public var http: ProxyServer?
  /// Lower-cased `NO_PROXY` entries without leading dots and ports.
  public var noProxy: [String]

  public init(https: ProxyServer? = nil, http: ProxyServer? = nil, noProxy: [String] = []) {
    self.https = https
    self.http = http
    self.noProxy = noProxy
  }

  /// Reads the conventional variables; lower-case names win, as in curl.
  public init(environment: [String: String]) {
    func value(_ names: String...) -> String? {
      for name in names {
        if let value = environment[name], !value.isEmpty { return value }
      }
      return nil
    }
    https = value("https_proxy", "HTTPS_PROXY").flatMap(ProxyServer.init)
    http = value("http_proxy", "HTTP_PROXY").flatMap(ProxyServer.init)
    noProxy = (value("no_proxy", "NO_PROXY") ?? "").split(separator: ",").compactMap { item in
      var entry = item.trimmingCharacters(in: .whitespaces).lowercased()
      while entry.hasPrefix(".") || entry.hasPrefix("*.") {
        entry.removeFirst(entry.hasPrefix("*.") ? 2 : 1)
      }
      if !entry.hasPrefix("["), let colon = entry.lastIndex(of: ":"),
        entry.firstIndex(of: ":") == colon
      {
        entry = String(entry[..<colon])
      }
      return entry.isEmpty ? nil : entry
    }
  }

  /// The proxy for a request to `scheme://host`, or nil to connect directly.
  public func proxy(scheme: String, host: String) -> ProxyServer? {
    let host = host.lowercased()
    if ProxySettings.isLoopback(host) { return nil }
    let bare =
      host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    for entry in noProxy {
      if entry == "*" || bare == entry || bare.hasSuffix("." + entry) { return nil }
    }
    return scheme.lowercased() == "https" ? https : http
  }

  /// Loopback hosts, where plain http is allowed and no proxy is used: `localhost`, `::1`
  /// and IPv4 literals in 127.0.0.0/8 (not any name that merely starts with `127.`).
  static func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]" || host == "::1" {
      return true
    }
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4, octets.first == "127" else { return false }
    return octets.allSatisfy { octet in
      !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII)
        && UInt8(octet) != nil
    }
  }
}
