internal import TOMLKit

/// The config and theme files, read with TOMLKit (toml++ inside). TOMLKit gives values but
/// neither the order of keys nor their lines, which every error about a setting names; a
/// small scan of the text (`KeyLines`) finds them. What TOMLKit accepts and this reader
/// refuses: dates and times (quote them) and more than 32 levels of keys.
public enum TOMLReader {
  /// Parses `text`. `file` only names the file in errors.
  public static func parse(_ text: String, file: String? = nil) throws(SyntaxError) -> Table {
    if let nul = text.utf8.firstIndex(of: 0) {
      let line = text.utf8[..<nul].count { $0 == UInt8(ascii: "\n") } + 1
      throw SyntaxError(file: file, line: line, message: "a NUL byte in the file")
    }
    let lines: KeyLines
    do {
      lines = try KeyLines(scanning: text)
    } catch {
      throw SyntaxError(file: file, line: error.line, key: error.key, message: error.message)
    }
    let document: TOMLKit.TOMLTable
    do {
      document = try TOMLKit.TOMLTable(string: text)
    } catch let error as TOMLParseError {
      let line = max(1, error.source.begin.line)
      // toml++ names its build constant; say what it means.
      let message =
        error.description.contains("maximum nested value depth")
        ? "nested more than 256 levels deep" : redacted(error.description)
      throw SyntaxError(file: file, line: line, key: lines.key(at: line), message: message)
    } catch {
      throw SyntaxError(file: file, line: 1, message: "cannot read the file")
    }
    return try table(document, path: [], lines: lines, file: file)
  }

  /// A value of the file. Dates and times are refused when the file is read.
  public indirect enum Value: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([Value])
    case table(Table)

    public var string: String? {
      if case .string(let value) = self { return value }
      return nil
    }

    public var integer: Int? {
      if case .integer(let value) = self { return value }
      return nil
    }

    public var boolean: Bool? {
      if case .boolean(let value) = self { return value }
      return nil
    }

    public var array: [Value]? {
      if case .array(let value) = self { return value }
      return nil
    }

    public var table: Table? {
      if case .table(let value) = self { return value }
      return nil
    }

    /// The TOML type name, for error messages ("expected a string, found an integer").
    public var typeName: String {
      switch self {
      case .string: return "string"
      case .integer: return "integer"
      case .float: return "float"
      case .boolean: return "boolean"
      case .array: return "array"
      case .table: return "table"
      }
    }
  }

  /// A table whose keys are in file order, each with the line where it was set.
  public struct Table: Sendable, Hashable, Sequence {
    public struct Entry: Sendable, Hashable {
      public var key: String
      public var value: Value
      /// The 1-based line where the key was set (or its table first appeared).
      public var line: Int
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    init(entries: [Entry]) { self.entries = entries }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> Value? {
      entries.first { $0.key == key }?.value
    }

    /// The line where `key` was set, for error messages.
    public func line(of key: String) -> Int? {
      entries.first { $0.key == key }?.line
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
  }

  /// A file that is not TOML, or holds what orgscope does not read: the file (if named),
  /// the 1-based line, the key when the error is in a key's value, and what is wrong.
  public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String?
    public var line: Int
    public var key: [String]?
    public var message: String

    public init(file: String?, line: Int, key: [String]? = nil, message: String) {
      self.file = file
      self.line = line
      self.key = key
      self.message = message
    }

    public var description: String {
      let place = file.map { "\($0):\(line)" } ?? "line \(line)"
      guard let key else { return "\(place): \(message)" }
      return "\(place): key \(TOMLReader.shown(key)): \(message)"
    }
  }

  /// A key path quoted for an error, or `a key (not shown)` when it does not look like a
  /// setting's name: in a broken file a value (a secret) can run into a key, and errors
  /// never show a secret. Each dotted part must be letters, `_` and `-` (at most 40), or
  /// letters, digits, `_` and `-` (at most 12): tokens are long and hold digits.
  public static func shown(_ path: [String]) -> String {
    let parts = path.flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
    let nameLike = parts.allSatisfy { part in
      let plain = part.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "_" || $0 == "-") }
      let short = part.allSatisfy {
        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")
      }
      return !part.isEmpty && ((plain && part.count <= 40) || (short && part.count <= 12))
    }
    guard !parts.isEmpty, nameLike else { return "a key (not shown)" }
    return "\"\(path.joined(separator: "."))\""
  }

  /// The library's message without what it quotes of the text (`saw 'x'`, `'12ab' is not
  /// …`): that text may be part of a secret. Quoted punctuation stays, it says what is
  /// wrong (`expected '='`); a message stays on one line.
  static func redacted(_ message: String) -> String {
    var out = ""
    var rest = Substring(message)
    while let open = rest.firstIndex(of: "'") {
      out += rest[..<open]
      let after = rest[rest.index(after: open)...]
      guard let close = after.dropFirst().firstIndex(of: "'") else {
        out += rest[open...]
        rest = ""
        break
      }
      let quoted = after[..<close]
      let punctuation = quoted.allSatisfy { $0.isASCII && ($0.isPunctuation || $0.isSymbol) }
      out += punctuation ? "'\(quoted)'" : "(text not shown)"
      rest = after[after.index(after: close)...]
    }
    out += rest
    return String(out.map { $0.isNewline || $0 == "\t" ? " " : $0 })
  }

  private static func table(
    _ table: TOMLKit.TOMLTable, path: [String], lines: KeyLines, file: String?
  ) throws(SyntaxError) -> Table {
    var entries: [Table.Entry] = []
    for (key, item) in table {
      let keyPath = path + [key]
      let line = lines.line(of: keyPath)
      let value = try value(item, path: keyPath, line: line, lines: lines, file: file)
      entries.append(Table.Entry(key: key, value: value, line: line))
    }
    // The library keeps keys sorted by name; the file's order is the order they were set in.
    let ordered = entries.enumerated().sorted {
      ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
    }
    return Table(entries: ordered.map(\.element))
  }

  private static func value(
    _ item: any TOMLValueConvertible, path: [String], line: Int, lines: KeyLines, file: String?
  ) throws(SyntaxError) -> Value {
    switch item.type {
    case .string: return .string(item.string ?? "")
    case .int: return .integer(item.int ?? 0)
    case .double: return .float(item.double ?? 0)
    case .bool: return .boolean(item.bool ?? false)
    case .table:
      guard let inner = item.table else { return .table(Table()) }
      return .table(try table(inner, path: path, lines: lines, file: file))
    case .array:
      var values: [Value] = []
      if let array = item.array {
        for element in array {
          values.append(try value(element, path: path, line: line, lines: lines, file: file))
        }
      }
      return .array(values)
    case .date, .time, .dateTime:
      throw SyntaxError(
        file: file, line: line, key: path, message: "dates are not supported; quote the value")
    }
  }
}
