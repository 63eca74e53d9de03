/// `--where EXPR` and the TUI's `w`: records filtered by any field, on the records
/// themselves. Terms are separated by spaces and all must hold:
///
/// - `path=value`: the field equals the value, ASCII case ignored (`status=suspended`
///   matches `SUSPENDED`); `null` matches a null or missing field;
/// - `path!=value`: it does not;
/// - `path~text`: the field contains the text, ASCII case ignored.
///
/// A path is dotted (`settings.enforce_twofactor`); through an array, a term holds when it
/// holds for any element. A value with spaces is written in double quotes
/// (`name~"paris office"`).
public struct FieldFilter: Sendable, Hashable {
  public enum Operation: String, Sendable, Hashable {
    case equals = "="
    case notEquals = "!="
    case contains = "~"
  }

  public struct Term: Sendable, Hashable {
    public var path: [String]
    public var operation: Operation
    public var value: String
  }

  public var terms: [Term]

  /// Reads an expression; an error names the part it could not read.
  public init(parsing text: String) throws(FieldFilterError) {
    var terms: [Term] = []
    for part in try Self.split(text) {
      terms.append(try Self.term(part))
    }
    guard !terms.isEmpty else { throw .empty }
    self.terms = terms
  }

  /// One space-separated part of an expression, and which of its characters were inside
  /// double quotes (an operator is never read there).
  struct Part {
    var characters: [Character] = []
    var quoted: [Bool] = []
    var text: String { String(characters) }
  }

  /// Splits on spaces outside double quotes; the quotes are removed.
  static func split(_ text: String) throws(FieldFilterError) -> [Part] {
    var parts: [Part] = []
    var current = Part()
    var quoted = false
    var started = false
    for character in text {
      if character == "\"" {
        quoted.toggle()
        started = true
      } else if character == " " && !quoted {
        if started { parts.append(current) }
        current = Part()
        started = false
      } else {
        current.characters.append(character)
        current.quoted.append(quoted)
        started = true
      }
    }
    if quoted { throw .unclosedQuote(text) }
    if started { parts.append(current) }
    return parts
  }

  /// The characters operators are made of: a run of them outside quotes is one operator.
  static let operatorCharacters: Set<Character> = ["=", "!", "~", "<", ">"]

  static func term(_ part: Part) throws(FieldFilterError) -> Term {
    let characters = part.characters
    func isOperator(_ offset: Int) -> Bool {
      !part.quoted[offset] && operatorCharacters.contains(characters[offset])
    }
    // The first operator outside quotes, and every operator character after it.
    guard let start = characters.indices.first(where: isOperator) else {
      throw .noOperator(part.text)
    }
    var end = start
    while end < characters.count && isOperator(end) { end += 1 }
    let written = String(characters[start..<end])
    let operation: Operation
    switch written {
    // `==` as kubectl's field selectors take it.
    case "=", "==": operation = .equals
    case "!=": operation = .notEquals
    case "~": operation = .contains
    default: throw .unknownOperator(written, part.text)
    }
    let path = String(characters[..<start]).split(separator: ".", omittingEmptySubsequences: false)
      .map(String.init)
    guard !path.isEmpty, !path.contains(where: \.isEmpty) else { throw .badField(part.text) }
    return Term(path: path, operation: operation, value: String(characters[end...]))
  }

  public func matches(_ record: Record) -> Bool {
    terms.allSatisfy { term in
      // `path!=value` is exactly "not path=value".
      let holds = Self.holds(
        term.path, 0, .object(record.fields), contains: term.operation == .contains,
        term.value)
      return term.operation == .notEquals ? !holds : holds
    }
  }

  static func holds(
    _ path: [String], _ depth: Int, _ value: JSONValue, contains: Bool, _ needle: String
  ) -> Bool {
    if case .array(let items) = value {
      return items.contains { holds(path, depth, $0, contains: contains, needle) }
    }
    if depth == path.count { return compare(value, contains: contains, needle) }
    guard case .object(let object) = value, let inner = object[path[depth]] else {
      // A missing field is null: equal to `null`, containing nothing.
      return !contains && isNull(needle)
    }
    return holds(path, depth + 1, inner, contains: contains, needle)
  }

  static func isNull(_ text: String) -> Bool { text.lowercased() == "null" }

  static func compare(_ value: JSONValue, contains: Bool, _ needle: String) -> Bool {
    let text: String
    switch value {
    case .null: return !contains && (isNull(needle) || needle.isEmpty)
    case .object: text = JSONWriter.compact(value)
    default: text = value.displayText
    }
    return contains
      ? text.lowercased().contains(needle.lowercased()) : text.lowercased() == needle.lowercased()
  }
}

/// Why a `--where` expression could not be read, naming the part.
public enum FieldFilterError: Error, Sendable, Hashable, CustomStringConvertible {
  case empty
  case noOperator(String)
  case badField(String)
  case unclosedQuote(String)
  /// An operator other than `=` (or `==`), `!=` and `~`: what was written, and the part.
  case unknownOperator(String, String)

  public var description: String {
    switch self {
    case .empty: return "the filter is empty: write field=value, field!=value or field~text"
    case .noOperator(let part):
      return
        "cannot read \"\(Sanitizer.clean(part))\": expected field=value, field!=value or field~text"
    case .badField(let part):
      return
        "cannot read the field in \"\(Sanitizer.clean(part))\": a dotted path such as settings.enforce_twofactor"
    case .unclosedQuote(let text):
      return "a double quote is not closed in \"\(Sanitizer.clean(text))\""
    case .unknownOperator(let written, let part):
      return
        "cannot read \"\(Sanitizer.clean(part))\": \"\(Sanitizer.clean(written))\" is not an operator; use field=value (or ==), field!=value or field~text"
    }
  }
}
