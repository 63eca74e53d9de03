import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSnapshot

/// What arguments complete to beyond what argument-parser derives from their types (source
/// names, formats, themes): files, the words that name a snapshot, and the names of roles
/// and users. Names come from the snapshot the command line gives (`--snapshot FILE`), else
/// from the newest snapshot of its profile, never from the network; a missing or unreadable
/// file completes nothing and prints nothing.
///
/// Every candidate is a plain word: the scripts argument-parser generates hand them to the
/// shell unquoted (bash's `compgen -W` expands `$(…)`), so a name with any other character
/// (a hostile role name in a snapshot) is offered by its sid, and such a file not at all.
enum Completions {
  /// `snapshot diff`'s OLD and NEW: a file, `latest` or `live`. (Other snapshot options
  /// complete files as the shell does, which knows `~` and quoting; `latest` is in their
  /// help.)
  static let diffSide = CompletionKind.custom { @Sendable _, _, prefix in
    files(prefix) + [SnapshotName.latest, SnapshotName.live]
  }

  /// A role of the policy source (`roles diff`).
  static let role = CompletionKind.custom { @Sendable words, _, _ in await roleNames(words) }

  /// `roles matrix --roles a,b,…`: a role after the last comma, the ones before kept.
  static let roleList = CompletionKind.custom { @Sendable words, _, prefix in
    let typed = unquoted(prefix)
    let head = typed.lastIndex(of: ",").map { String(typed[...$0]) } ?? ""
    // What was typed comes back too: it must be as plain as the names.
    guard isPlain(head) else { return [] }
    return await roleNames(words).map { head + $0 }
  }

  /// A user (`users show`): their user name.
  static let user = CompletionKind.custom { @Sendable words, _, _ in
    await names(of: TwilioUsersProvider.sourceID, words: words) { Person(record: $0).userName }
  }

  static func roleNames(_ words: [String]) async -> [String] {
    let named = value(of: "--source", in: words).flatMap(PolicySourceName.init(argument:))
    guard let source = try? ProviderRegistry.policySource(named: named?.id.rawValue) else {
      return []
    }
    return await names(of: source, words: words, \.name)
  }

  /// `name` of every record of `source` in the snapshot `words` name, else in the newest
  /// snapshot of their profile; a record whose name is not a plain word is offered by its id.
  static func names(
    of source: SourceID, words: [String], _ name: (Record) -> String
  ) async -> [String] {
    let environment = ProcessInfo.processInfo.environment
    var path = value(of: "--snapshot", in: words).map { localPath(unquoted($0)) }
    if path == nil || path == SnapshotName.latest {
      let profile = SnapshotName.profile(
        demo: words.contains("--demo"), profile: value(of: "--profile", in: words).map(unquoted),
        environment: environment)
      path = await SnapshotName.newest(profile: profile, environment: environment)
    }
    guard let path,
      let snapshot = try? await SnapshotReader.read(path: path, sources: [source])
    else { return [] }
    let names = (snapshot.records[source] ?? []).map { record in
      let text = name(record)
      return isPlain(text) && !text.isEmpty ? text : record.id
    }
    return Array(Set(names.filter(isPlain))).sorted()
  }

  /// The files and folders (ending in `/`) whose path starts with `prefix`; hidden ones
  /// only when the typed name starts with a dot.
  static func files(_ prefix: String) -> [String] {
    let typed = unquoted(prefix)
    let cut = typed.lastIndex(of: "/").map { typed.index(after: $0) } ?? typed.startIndex
    let folderPart = String(typed[..<cut])
    let namePart = String(typed[cut...])
    let folder = folderPart.isEmpty ? "." : folderPart
    // What was typed comes back too: it must be as plain as the names (so `~/` completes
    // nothing here: bash would expand it in the candidates, which then match nothing).
    guard isPlain(folderPart),
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
    else { return [] }
    return names.filter {
      $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) && isPlain($0)
    }
    .sorted().map { name in
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(
        atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
      return folderPart + name + (isFolder.boolValue ? "/" : "")
    }
  }

  /// `path` with a leading `~/` made the home folder's, as the shell would have.
  static func localPath(_ path: String) -> String {
    path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst() : path
  }

  /// Letters, digits, spaces and `-_.,:@+/=%()`, not leading with `-`: nothing a shell
  /// expands or a terminal acts on.
  static func isPlain(_ text: String) -> Bool {
    !text.hasPrefix("-")
      && text.unicodeScalars.allSatisfy { scalar in
        (scalar.properties.isAlphabetic || scalar.properties.numericType != nil
          || plainPunctuation.contains(scalar))
          && !scalar.properties.isDefaultIgnorableCodePoint
          && scalar.properties.generalCategory != .control
      }
  }

  private static let plainPunctuation = Set(" -_.,:@+/=%()".unicodeScalars)

  /// The last value `--name VALUE` or `--name=VALUE` gives in `words`.
  static func value(of name: String, in words: [String]) -> String? {
    var found: String?
    for (index, word) in words.enumerated() {
      if word == name, index + 1 < words.count {
        found = words[index + 1]
      } else if word.hasPrefix(name + "=") {
        found = String(word.dropFirst(name.count + 1))
      }
    }
    return found
  }

  /// A shell word as typed, without its quotes and backslashes (the shells hand words to
  /// completion verbatim).
  static func unquoted(_ word: String) -> String {
    var out = ""
    var quote: Character?
    var escaped = false
    for character in word {
      if escaped {
        out.append(character)
        escaped = false
      } else if character == "\\" && quote != "'" {
        escaped = true
      } else if let open = quote, character == open {
        quote = nil
      } else if quote == nil && (character == "'" || character == "\"") {
        quote = character
      } else {
        out.append(character)
      }
    }
    return out
  }
}
