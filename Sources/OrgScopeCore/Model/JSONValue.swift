/// A JSON value exactly as a provider sent it: object key order is kept and numbers keep
/// their literal text, so `list --format ndjson` and the detail pane show what arrived.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  /// The number's literal text (`12`, `1.5e3`): large ids keep every digit.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The string, or nil for anything else.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The object, or nil for anything else.
  public var object: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The array, or nil for anything else.
  public var array: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Integer value of a number (or of a numeric string), if it has one.
  public var int: Int? {
    switch self {
    case .number(let text), .string(let text): return Int(text)
    default: return nil
    }
  }

  /// A short human text for scalars: strings as they are, numbers as sent, `true`/`false`,
  /// empty for null; containers are summarised by their size.
  public var displayText: String {
    switch self {
    case .null: return ""
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return n
    case .string(let s): return s
    case .array(let a): return "[\(a.count) items]"
    case .object(let o): return "{\(o.count) fields}"
    }
  }
}

/// A JSON object that keeps the order in which the provider sent its keys.
public struct JSONObject: Sendable, Hashable, Sequence {
  public struct Field: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  public private(set) var fields: [Field]

  public init(_ fields: [Field] = []) { self.fields = fields }

  public init(_ pairs: KeyValuePairs<String, JSONValue>) {
    self.fields = pairs.map { Field(key: $0.key, value: $0.value) }
  }

  public var count: Int { fields.count }
  public var keys: [String] { fields.map(\.key) }

  /// The value for `key` (the last one if a key repeats, as most parsers do).
  public subscript(key: String) -> JSONValue? {
    get { fields.last(where: { $0.key == key })?.value }
    set {
      if let index = fields.lastIndex(where: { $0.key == key }) {
        if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
      } else if let newValue {
        fields.append(Field(key: key, value: newValue))
      }
    }
  }

  /// Follows a path of keys through nested objects: `record["settings", "type"]`.
  public subscript(path first: String, _ rest: String...) -> JSONValue? {
    var value = self[first]
    for key in rest { value = value?.object?[key] }
    return value
  }

  public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
