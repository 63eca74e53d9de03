/// How one record differs between two dates: the fields that changed, by dotted path, and
/// for a role the allow and deny entries added and removed. Shared by `snapshot diff` and
/// the TUI's `--since` marks.
public struct RecordDiff: Sendable, Hashable {
  /// One changed field. `old` or `new` is nil where the field was absent.
  public struct Field: Sendable, Hashable {
    public var path: String
    public var old: JSONValue?
    public var new: JSONValue?

    public init(path: String, old: JSONValue?, new: JSONValue?) {
      self.path = path
      self.old = old
      self.new = new
    }
  }

  public var fields: [Field]
  public var allowAdded: [String] = []
  public var allowRemoved: [String] = []
  public var denyAdded: [String] = []
  public var denyRemoved: [String] = []

  public init(fields: [Field]) { self.fields = fields }

  public var isEmpty: Bool { fields.isEmpty }

  /// The differences from `old` to `new` (nil when they are equal), the role policy's
  /// entries read by `provider`.
  public init?(old: Record, new: Record, provider: any Provider) {
    let fields = Self.changes(old.fields, new.fields)
    guard !fields.isEmpty || old.name != new.name else { return nil }
    self.fields = fields
    if let before = provider.policy(of: old), let after = provider.policy(of: new) {
      allowAdded = Self.subtract(after.allow, before.allow)
      allowRemoved = Self.subtract(before.allow, after.allow)
      denyAdded = Self.subtract(after.deny, before.deny)
      denyRemoved = Self.subtract(before.deny, after.deny)
    }
  }

  /// Leaf differences, objects followed key by key (old order, then keys only in `new`);
  /// arrays and scalars compared whole.
  public static func changes(_ old: JSONObject, _ new: JSONObject, prefix: String = "")
    -> [Field]
  {
    var result: [Field] = []
    var keys = old.keys
    let known = Set(keys)
    keys += new.keys.filter { !known.contains($0) }
    var done = Set<String>()
    for key in keys where done.insert(key).inserted {
      let path = prefix.isEmpty ? key : prefix + "." + key
      let before = old[key]
      let after = new[key]
      if before == after { continue }
      if let a = before?.object, let b = after?.object {
        result += changes(a, b, prefix: path)
      } else {
        result.append(Field(path: path, old: before, new: after))
      }
    }
    return result
  }

  /// `left` without the entries of `right`, in `left`'s order.
  static func subtract(_ left: [String], _ right: [String]) -> [String] {
    let drop = Set(right)
    return left.filter { !drop.contains($0) }
  }

  /// The changed field whose path is `path`, if any.
  public func field(_ path: String) -> Field? { fields.first { $0.path == path } }
}
