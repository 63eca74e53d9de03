import Foundation

/// Everything orgscope is configured with, resolved once: flags beat the environment, the
/// environment beats the profile in the config file. Keys are the official SDK variable
/// names (`CLOUDFLARE_API_TOKEN`, …); the file may spell them in lower case.
public struct Configuration: Sendable {
  /// Resolved values by upper-case variable name.
  public let values: [String: String]
  /// The config file that was read, if any.
  public let file: String?
  /// The profile that was used.
  public let profile: String

  /// Variables that hold secrets: never shown, logged or exported, and a file holding any of
  /// them must not be readable by group or others.
  public static let secretKeys: Set<String> = Set(
    ProviderRegistry.settings.filter(\.isSecret).map(\.name))

  /// orgscope's own variables (the file may spell them `theme`, `ascii` and `max_records`).
  static let generalKeys: Set<String> = ["ORGSCOPE_THEME", "ORGSCOPE_ASCII", maxRecordsKey]

  /// The record cap of every list (`PagingEngine.Limits.recordCap`); `max_records` in the file.
  public static let maxRecordsKey = "ORGSCOPE_MAX_RECORDS"

  /// Every variable orgscope reads: the sources' (`ProviderRegistry.settings`) and its own.
  public static let knownKeys: Set<String> = generalKeys.union(
    ProviderRegistry.settings.map(\.name))

  public init(values: [String: String], file: String? = nil, profile: String = "default") {
    self.values = values
    self.file = file
    self.profile = profile
  }

  /// The default config file: `$XDG_CONFIG_HOME/orgscope/config.toml`, else
  /// `~/.config/orgscope/config.toml`.
  public static func defaultPath(environment: [String: String]) -> String? {
    if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
      return xdg + "/orgscope/config.toml"
    }
    if let home = environment["HOME"], !home.isEmpty {
      return home + "/.config/orgscope/config.toml"
    }
    return nil
  }

  /// The profile a command uses: `--profile`, else `ORGSCOPE_PROFILE`, else `default`
  /// (known without reading the config file: completion and `latest` need only this).
  public static func profileName(_ profile: String?, environment: [String: String]) -> String {
    profile ?? environment["ORGSCOPE_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
  }

  /// Resolves the configuration.
  /// - Parameters:
  ///   - environment: the process environment (or the sandbox's, for `--demo`).
  ///   - profile: `--profile`; nil = `ORGSCOPE_PROFILE` or `default`.
  ///   - overrides: values from flags (`ORGSCOPE_THEME` for `--theme`).
  ///   - configPath: `--config`; nil = the default path, which may be absent.
  ///   - readFile: false for `--demo`, which must not use real credentials.
  public static func load(
    environment: [String: String], profile: String? = nil, overrides: [String: String] = [:],
    configPath: String? = nil, readFile: Bool = true
  ) throws -> Configuration {
    let profileName = profileName(profile, environment: environment)
    var values: [String: String] = [:]
    var usedFile: String?
    let path = configPath ?? defaultPath(environment: environment)
    if readFile, let path, configPath != nil || FileManager.default.fileExists(atPath: path) {
      values = try readProfile(path: path, profile: profileName, explicitProfile: profile != nil)
      usedFile = path
    } else if let profile, profile != "default" {
      throw OrgScopeError.configuration(
        "profile \"\(profile)\" given but there is no config file at \(path ?? "~/.config/orgscope/config.toml")"
      )
    }
    for (key, raw) in environment where knownKeys.contains(key) {
      // `export X=$(cat token.txt)` from a CRLF file: surrounding whitespace is never part
      // of a credential.
      let value = trimmed(raw)
      if value.isEmpty { continue }
      try checkHeaderSafe(value, key: key, from: "the environment")
      values[key] = value
    }
    for (key, raw) in overrides {
      let value = trimmed(raw)
      if value.isEmpty { continue }
      try checkHeaderSafe(value, key: key, from: "a flag")
      values[key] = value
    }
    let configuration = Configuration(values: values, file: usedFile, profile: profileName)
    try configuration.validate()
    return configuration
  }

  /// A value without surrounding whitespace (spaces, tabs, CR, LF).
  static func trimmed(_ value: String) -> String {
    value.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Values end up in request headers (tokens, keys, ids): a control character (CR, LF, NUL,
  /// C1, DEL) inside one is refused with an error that names the variable, never the value.
  static func checkHeaderSafe(_ value: String, key: String, from origin: String) throws {
    guard let bad = value.unicodeScalars.first(where: isUnsafeInHeader) else { return }
    let what =
      switch bad.value {
      case 0x0D: "a carriage return (CR)"
      case 0x0A: "a line feed (LF)"
      default: "a control character (U+\(String(format: "%04X", bad.value)))"
      }
    throw OrgScopeError.configuration(
      "\(key) (from \(origin)) contains \(what); the value is not shown, fix it where it is set")
  }

  /// Whether a scalar may not appear in a header value: C0 controls (tab included), DEL, C1.
  static func isUnsafeInHeader(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }

  /// Throws `OrgScopeError.configuration` for a malformed base URL (or plain http off
  /// loopback) and a word that is not one of a setting's choices (`SENDGRID_REGION`).
  public func validate() throws {
    if let cap = self[Self.maxRecordsKey], Int(cap).map({ $0 < 1 }) ?? true {
      throw OrgScopeError.configuration(
        "\(Self.maxRecordsKey) (max_records in the file) must be a whole number of at least 1, not \"\(Sanitizer.visible(cap))\""
      )
    }
    for descriptor in ProviderRegistry.all {
      for setting in descriptor.settings {
        guard let value = self[setting.name] else { continue }
        switch setting.kind {
        case .baseURL:
          do {
            _ = try BaseURL.parse(value, source: descriptor.id)
          } catch let error as OrgScopeError {
            if case .configuration(let message) = error {
              throw OrgScopeError.configuration("\(setting.name): \(message)")
            }
            throw error
          }
        case .choice(let words) where !words.contains(value.lowercased()):
          throw OrgScopeError.configuration(
            "\(setting.name) must be \(words.joined(separator: " or ")), not \"\(value)\"")
        default: break
        }
      }
    }
  }

  /// Largest config file read (a config is a few hundred bytes).
  static let maxFileBytes = 1 << 20

  /// Reads one profile of the file, refusing a file with secrets that others can read.
  /// The file is opened once and checked (`fstat`) before it is parsed: a file that others
  /// can read and that names a secret key is refused before any of it is interpreted, and
  /// parse errors name the file, line and key, never a value.
  static func readProfile(path: String, profile: String, explicitProfile: Bool) throws -> [String:
    String]
  {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      throw OrgScopeError.configuration("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw OrgScopeError.configuration(
        "cannot check who may read \(path) (\(String(cString: strerror(errno)))); refusing it")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw OrgScopeError.configuration("\(path) is not a regular file; refusing it")
    }
    guard info.st_size <= maxFileBytes else {
      throw OrgScopeError.configuration(
        "\(path) is larger than \(maxFileBytes) bytes; refusing it")
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while bytes.count <= maxFileBytes {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count < 0 {
        throw OrgScopeError.configuration(
          "cannot read \(path): \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    guard bytes.count <= maxFileBytes else {
      throw OrgScopeError.configuration(
        "\(path) is larger than \(maxFileBytes) bytes; refusing it")
    }
    // Before parsing: a file others can read that mentions a secret key is refused as it
    // is, whatever else it holds (a parse error must not be the first thing said about it).
    let upper = String(decoding: bytes, as: UTF8.self).uppercased()
    if secretKeys.contains(where: { upper.contains($0) }) {
      try checkPermissions(path, info)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw OrgScopeError.configuration("cannot read \(path): it is not UTF-8 text")
    }
    let table: TOMLReader.Table
    do {
      table = try TOMLReader.parse(text, file: path)
    } catch {
      throw OrgScopeError.configuration("\(error)")
    }
    var values: [String: String] = [:]
    var profiles: [String] = []
    func absorb(_ table: TOMLReader.Table, context: String) throws {
      for entry in table {
        if entry.value.table != nil { continue }
        let upper = entry.key.uppercased()
        let key =
          upper == "THEME" || upper == "ASCII" || upper == "MAX_RECORDS"
          ? "ORGSCOPE_" + upper : upper
        guard knownKeys.contains(key) else {
          throw OrgScopeError.configuration(
            "\(path):\(entry.line): unknown key \(TOMLReader.shown([entry.key]))\(context)")
        }
        let flag = entry.value.boolean.map { $0 ? "true" : "false" }
        guard let raw = entry.value.string ?? entry.value.integer.map(String.init) ?? flag else {
          throw OrgScopeError.configuration(
            "\(path):\(entry.line): \(TOMLReader.shown([entry.key])) must be a string")
        }
        let value = trimmed(raw)
        try checkHeaderSafe(value, key: key, from: "\(path):\(entry.line)")
        values[key] = value
      }
    }
    try absorb(table, context: "")
    for entry in table where entry.value.table != nil { profiles.append(entry.key) }
    if let selected = table[profile]?.table {
      try absorb(selected, context: " in [\(profile)]")
    } else if explicitProfile || !profiles.isEmpty && profile != "default" {
      throw OrgScopeError.configuration(
        "no profile [\(profile)] in \(path) (profiles: \(profiles.isEmpty ? "none" : profiles.joined(separator: ", ")))"
      )
    }
    // Any profile's secrets count, not only the selected one's: the file leaks them all.
    if holdsSecrets(table) { try checkPermissions(path, info) }
    return values
  }

  static func holdsSecrets(_ table: TOMLReader.Table) -> Bool {
    table.contains { entry in
      if let inner = entry.value.table { return holdsSecrets(inner) }
      return secretKeys.contains(entry.key.uppercased())
    }
  }

  /// As ssh does: a file with secrets must belong to the user and be unreadable by others.
  /// `info` is the `fstat` of the open file that was read.
  static func checkPermissions(_ path: String, _ info: stat) throws {
    let mode = info.st_mode & 0o777
    if mode & 0o077 != 0 {
      throw OrgScopeError.configuration(
        "\(path) holds secrets and is readable by group or others (mode \(String(mode, radix: 8))); "
          + "fix it with: chmod 600 \(path)")
    }
    if info.st_uid != geteuid() && info.st_uid != 0 {
      throw OrgScopeError.configuration(
        "\(path) holds secrets and belongs to another user; refusing it")
    }
  }

  static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      let posix = POSIXErrorCode(rawValue: Int32(underlying.code))
    {
      return String(cString: strerror(posix.rawValue))
    }
    return nsError.localizedDescription
  }

  public subscript(key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }

  /// The theme from `--theme`, `ORGSCOPE_THEME` or the file's `theme`.
  public var theme: String? { self["ORGSCOPE_THEME"] }

  /// `ascii = true` in the file (or `ORGSCOPE_ASCII=1`): ASCII drawing, `\u{…}` escapes.
  public var ascii: Bool {
    ["true", "1", "yes"].contains(self["ORGSCOPE_ASCII"]?.lowercased() ?? "")
  }

  /// Records one list may hold: `max_records` (`ORGSCOPE_MAX_RECORDS`), else
  /// `PagingEngine.defaultRecordCap`.
  public var recordCap: Int {
    self[Self.maxRecordsKey].flatMap { Int($0) }.map { max(1, $0) } ?? PagingEngine.defaultRecordCap
  }

  /// Every configured secret, for redaction.
  public var secrets: [String] { Self.secretKeys.compactMap { self[$0] } }

  /// The sources in tab order: ready clients, or tabs that say what to set.
  public func makeSources(transport: any HTTPTransport, redactor: Redactor? = nil) -> [SourceSetup]
  {
    let context = ProviderContext(configuration: self, transport: transport, redactor: redactor)
    return ProviderRegistry.all.map { descriptor in
      do {
        var client = try descriptor.connect(context)
        client.recordCap = recordCap
        return .ready(client)
      } catch let error as OrgScopeError {
        if case .missingCredentials(let source, let hint) = error {
          return .missing(source: source, hint: hint)
        }
        return .missing(source: descriptor.id, hint: error.description)
      } catch {
        return .missing(source: descriptor.id, hint: "\(error)")
      }
    }
  }
}
