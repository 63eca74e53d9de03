import Foundation

/// The `Link` header of RFC 8288 (`<https://api.example.com/items?page=2>; rel="next"`), as
/// APIs that page by header write it (GitHub, GitLab, Okta): the target of a relation.
public enum LinkHeader {
  /// The target of the first link whose `rel` includes `relation` (ASCII case ignored),
  /// across every `Link` header of `response`; nil when there is none.
  public static func target(_ relation: String, in response: PageResponse) -> String? {
    let wanted = relation.lowercased()
    for header in response.headers where header.name.lowercased() == "link" {
      for link in links(header.value) where link.relations.contains(wanted) {
        return link.target
      }
    }
    return nil
  }

  /// The links of one header value: each target with its relations, lower-cased.
  static func links(_ value: String) -> [(target: String, relations: [String])] {
    var result: [(target: String, relations: [String])] = []
    var rest = Substring(value)
    while let open = rest.firstIndex(of: "<") {
      guard let close = rest[open...].firstIndex(of: ">") else { break }
      let target = String(rest[rest.index(after: open)..<close])
      rest = rest[rest.index(after: close)...]
      // The parameters run to the next link, a comma outside quotes.
      var end = rest.endIndex
      var quoted = false
      for index in rest.indices {
        let character = rest[index]
        if character == "\"" { quoted.toggle() }
        if character == ",", !quoted {
          end = index
          break
        }
      }
      var relations: [String] = []
      for parameter in rest[..<end].split(separator: ";") {
        let parts = parameter.split(separator: "=", maxSplits: 1)
        guard parts.count == 2,
          parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "rel"
        else { continue }
        let text = parts[1].trimmingCharacters(in: .whitespaces)
          .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        relations += text.lowercased().split(separator: " ").map(String.init)
      }
      result.append((target, relations))
      rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
    }
    return result
  }
}
