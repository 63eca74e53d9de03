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
  /// curl does). Returns nil for an empty or unusable value (`problem` says why).
  public init?(_ text: String) {
    guard case .success(let server) = ProxyServer.parse(text) else { return nil }
    self = server
  }

  /// Why a proxy value cannot be used, without repeating it (it may hold a password).
  public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedScheme(String)
    case badPort
    case unparsable

    public var description: String {
      switch self {
      case .unsupportedScheme("https"):
        return
          "an https:// proxy (TLS to the proxy) is not supported; use http://host:port (the tunnel to the provider is TLS either way)"
      case .unsupportedScheme(let scheme):
        return "\(scheme):// proxies are not supported; use an http:// proxy"
      case .badPort: return "the port is not a number between 1 and 65535"
      case .unparsable: return "not a proxy URL of the form http://[user:password@]host:port"
      }
    }
  }

  /// Parses a proxy value, or says why it cannot be used.
  public static func parse(_ text: String) -> Result<ProxyServer, Problem> {
    var server = ProxyServer(host: "", port: 0)
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    if let scheme = rest.range(of: "://") {
      let name = rest[..<scheme.lowerBound].lowercased()
      guard name == "http" else {
        let shown = name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" } ? name : "this"
        return .failure(.unsupportedScheme(String(shown.prefix(20))))
      }
      rest = rest[scheme.upperBound...]
    }
    if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
    if let at = rest.lastIndex(of: "@") {
      let userinfo = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = userinfo.firstIndex(of: ":") {
        server.username = PercentEncoding.decode(userinfo[..<colon])
        server.password = PercentEncoding.decode(userinfo[userinfo.index(after: colon)...])
      } else {
        server.username = PercentEncoding.decode(userinfo)
      }
    }
    var port = 1080
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return .failure(.unparsable) }
      let after = rest[rest.index(after: close)...]
      if after.hasPrefix(":") {
        guard let value = Int(after.dropFirst()) else { return .failure(.badPort) }
        port = value
      } else if !after.isEmpty {
        return .failure(.unparsable)
      }
      rest = rest[rest.index(after: rest.startIndex)..<close]
    } else if let colon = rest.lastIndex(of: ":") {
      guard let value = Int(rest[rest.index(after: colon)...]) else { return .failure(.badPort) }
      port = value
      rest = rest[..<colon]
    }
    guard (1...65535).contains(port) else { return .failure(.badPort) }
    let hostOK = rest.allSatisfy {
      $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_")
    }
    guard !rest.isEmpty, hostOK else { return .failure(.unparsable) }
    server.host = rest.lowercased()
    server.port = port
    return .success(server)
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
  /// A proxy variable that is set but cannot be used: `HTTPS_PROXY: socks5:// proxies are
  /// not supported…` (named, never its value). Requests it would carry are refused rather
  /// than sent directly.
  public var httpsProblem: String?
  public var httpProblem: String?

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
    func read(_ names: String...) -> (ProxyServer?, String?) {
      for name in names {
        guard let text = environment[name],
          !text.trimmingCharacters(in: .whitespaces).isEmpty
        else { continue }
        switch ProxyServer.parse(text) {
        case .success(let server): return (server, nil)
        case .failure(let problem): return (nil, "\(name): \(problem)")
        }
      }
      return (nil, nil)
    }
    (https, httpsProblem) = read("https_proxy", "HTTPS_PROXY")
    (http, httpProblem) = read("http_proxy", "HTTP_PROXY")
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

  /// Every set but unusable proxy variable, as `configuration` errors name them.
  public var problems: [String] { [httpsProblem, httpProblem].compactMap { $0 } }

  /// Throws a configuration error (exit 2) naming the first unusable proxy variable.
  public func validate() throws {
    if let problem = problems.first {
      throw OrgScopeError.configuration(
        problem + "; fix or unset it (orgscope never goes direct instead)")
    }
  }

  /// Why a request to `scheme://host` must not be sent: its proxy variable is set but
  /// unusable (nil when the host is not proxied anyway).
  public func problem(scheme: String, host: String) -> String? {
    let lowered = host.lowercased()
    if ProxySettings.isLoopback(lowered) { return nil }
    let bare =
      lowered.hasPrefix("[") && lowered.hasSuffix("]")
      ? String(lowered.dropFirst().dropLast()) : lowered
    for entry in noProxy where entry == "*" || bare == entry || bare.hasSuffix("." + entry) {
      return nil
    }
    return scheme.lowercased() == "https" ? httpsProblem : httpProblem
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
  /// and IPv4 literals in 127.0.0.0/8 (not any name that merely starts with `127.`, nor
  /// `NAME.localhost`, which `URLParts.isLoopback` resolves first).
  static func isLoopback(_ host: String) -> Bool {
    if host == "localhost" || host == "[::1]" || host == "::1" {
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
