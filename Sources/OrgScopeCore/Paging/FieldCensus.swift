/// Tells a misspelt field from a value no record has: `stauts=suspended` matches nothing
/// because no record has a field `stauts`, and that is an error, not an empty answer.
///
/// Records are added as they are read; a field is found once one record has it (null
/// included; through an array, in any element). Until every field of the filter is found,
/// the dotted paths the first records have are kept (a bounded number) to suggest the
/// closest.
extension FieldFilter {
  public struct Census: Sendable {
    /// The filter's distinct paths, in the order written, and whether a record has each.
    let paths: [[String]]
    var found: [Bool]
    public private(set) var records = 0
    /// Dotted paths the records have, while a field is still missing.
    var known: Set<String> = []
    /// Bounds on what is kept: records whose paths are read, paths, depth, elements of
    /// an array.
    static let sampleLimit = 500
    static let knownLimit = 2000
    static let depthLimit = 4
    static let elementLimit = 8

    public init(_ filter: FieldFilter) {
      var paths: [[String]] = []
      for term in filter.terms where !paths.contains(term.path) { paths.append(term.path) }
      self.paths = paths
      found = paths.map { _ in false }
    }

    /// Every field of the filter is on some record read so far.
    public var complete: Bool { !found.contains(false) }

    public mutating func add(_ record: Record) {
      records += 1
      guard !complete else { return }
      let value = JSONValue.object(record.fields)
      for index in paths.indices where !found[index] {
        found[index] = Self.has(paths[index], 0, value)
      }
      // Suggestions come from the first records: a provider's records share their fields,
      // and walking every field of 100,000 records would cost more than the filter.
      if !complete && records <= Self.sampleLimit && known.count < Self.knownLimit {
        collect(value, prefix: "", depth: 0)
      }
    }

    /// Adds records until every field is found (the rest would teach nothing).
    public mutating func add(_ records: some Sequence<Record>) {
      for record in records {
        if complete { break }
        add(record)
      }
    }

    /// The fields no record read has, with the closest fields they do have; nil when every
    /// field was found or no record was read (nothing to tell a field from). `partial`:
    /// more records may follow (the TUI before the last page).
    public func missing(partial: Bool = false) -> MissingFields? {
      guard records > 0, !complete else { return nil }
      let missing = paths.indices.filter { !found[$0] }.map { index in
        let name = paths[index].joined(separator: ".")
        return MissingFields.Field(
          name: name, closest: Suggestions.closest(to: name, among: known))
      }
      let topLevel = known.filter { !$0.contains(".") }.sorted()
      return MissingFields(fields: missing, topLevel: topLevel, partial: partial)
    }

    static func has(_ path: [String], _ depth: Int, _ value: JSONValue) -> Bool {
      if depth == path.count { return true }
      switch value {
      case .array(let items): return items.contains { has(path, depth, $0) }
      case .object(let object):
        guard let inner = object[path[depth]] else { return false }
        return has(path, depth + 1, inner)
      default: return false
      }
    }

    mutating func collect(_ value: JSONValue, prefix: String, depth: Int) {
      guard depth < Self.depthLimit, known.count < Self.knownLimit else { return }
      switch value {
      case .array(let items):
        for item in items.prefix(Self.elementLimit) {
          collect(item, prefix: prefix, depth: depth)
        }
      case .object(let object):
        for field in object.fields {
          let path = prefix.isEmpty ? field.key : prefix + "." + field.key
          known.insert(path)
          collect(field.value, prefix: path, depth: depth + 1)
        }
      default: break
      }
    }
  }
}

/// Fields of a `--where` expression that no record has, each with the closest fields the
/// records do have.
public struct MissingFields: Sendable, Hashable, CustomStringConvertible {
  public struct Field: Sendable, Hashable {
    public var name: String
    public var closest: [String]
  }

  public var fields: [Field]
  /// The records' top-level fields, named when nothing is close.
  public var topLevel: [String]
  /// Only some of the records were read (the TUI before the last page).
  public var partial: Bool

  public var description: String {
    let subject = partial ? "no loaded record has" : "no record has"
    if fields.count == 1, let field = fields.first {
      let name = Suggestions.quotedList([field.name])
      if !field.closest.isEmpty {
        return "\(subject) a field \(name); did you mean \(Suggestions.quotedList(field.closest))?"
      }
      guard !topLevel.isEmpty else { return "\(subject) a field \(name)" }
      let shown = topLevel.prefix(8).map(Sanitizer.clean).joined(separator: ", ")
      return "\(subject) a field \(name) (fields: \(shown)\(topLevel.count > 8 ? ", …" : ""))"
    }
    let named = fields.map { field in
      Suggestions.quotedList([field.name])
        + (field.closest.isEmpty
          ? "" : " (did you mean \(Suggestions.quotedList(field.closest))?)")
    }
    return "\(subject) the fields " + named.dropLast().joined(separator: ", ") + " or "
      + (named.last ?? "")
  }
}
