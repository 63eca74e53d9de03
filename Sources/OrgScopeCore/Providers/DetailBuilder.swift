/// Builds detail sections: every field the provider sent, nested objects flattened as
/// `settings.enforce_twofactor` lines.
enum DetailBuilder {
  /// One line per scalar, following objects and arrays of objects; `skipping` top-level
  /// keys that have their own section.
  static func fieldLines(_ object: JSONObject, skipping: Set<String> = []) -> [DetailLine] {
    var lines: [DetailLine] = []
    for field in object where !skipping.contains(field.key) {
      append(field.value, key: field.key, to: &lines)
    }
    return lines
  }

  static func append(_ value: JSONValue, key: String, to lines: inout [DetailLine]) {
    switch value {
    case .null:
      lines.append(DetailLine(key: key, value: "null", style: .dim))
    case .object(let object):
      if object.count == 0 {
        lines.append(DetailLine(key: key, value: "{}", style: .dim))
      }
      for field in object { append(field.value, key: key + "." + field.key, to: &lines) }
    case .array(let items):
      if items.isEmpty {
        lines.append(DetailLine(key: key, value: "[]", style: .dim))
      } else if items.allSatisfy(isScalar) {
        lines.append(DetailLine(key: key, value: items.map(\.displayText).joined(separator: ", ")))
      } else {
        for (index, item) in items.enumerated() {
          append(item, key: "\(key)[\(index)]", to: &lines)
        }
      }
    default:
      lines.append(DetailLine(key: key, value: value.displayText))
    }
  }

  private static func isScalar(_ value: JSONValue) -> Bool {
    switch value {
    case .array, .object: return false
    default: return true
    }
  }
}
