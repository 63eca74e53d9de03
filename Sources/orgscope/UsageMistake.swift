import ArgumentParser

/// A command line that did not parse, in the product's words: what is wrong, and the
/// command whose `--help` explains it (PRODUCT.md: a usage error is two lines on stderr).
///
/// argument-parser (pinned at 1.8.2) exposes its parse errors only as text, so its
/// sentences are read back here, one pattern each, and said again the way the rest of
/// orgscope speaks; a sentence not known here is passed on as it is, on one line. The
/// end-to-end tests pin every form below.
struct UsageMistake {
  var message: String
  /// `orgscope list`, say: where `--help` helps.
  var command: String

  /// `error` is what `parseAsRoot` threw, or a `ValidationError` that a command threw while
  /// running; `arguments` the words the command line was given.
  init(_ error: Error, arguments: [String]) {
    let path = CommandPath(arguments)
    command = path.names(path.withDefaults)
    if let error = error as? ValidationError {
      message = error.message
      return
    }
    let text = OrgScope.message(for: error)
    if let word = Self.unexpectedWords(text).first, let group = path.named.last,
      !group.configuration.subcommands.isEmpty
    {
      // `orgscope frob`: a word where a command's name goes.
      let names = group.configuration.subcommands.map { $0._commandName }
      message = "unknown command \(Self.quoted(word)); one of \(names.joined(separator: ", "))"
      command = path.names(path.named)
      return
    }
    if let match = text.firstMatch(
      of: #/Can't generate completion scripts for '(?<shell>.*)'\.\n.*\n\s*(?<shells>.*)/#)
    {
      // `--generate-completion-script` is the root's.
      let shells = match.shells.split(separator: " ").joined(separator: ", ")
      message = "no completion script for \(Self.quoted(match.shell)); one of \(shells)"
      command = path.names(path.named)
      return
    }
    message = Self.rewrite(text)
  }

  /// argument-parser's sentence in orgscope's words.
  static func rewrite(_ text: String) -> String {
    if let match = text.wholeMatch(
      of: #/Unknown option '(?<name>.*?)'(?:\. Did you mean '(?<suggestion>.*)'\?)?/#)
    {
      return "unknown option \(quoted(match.name))"
        + (match.suggestion.map { "; did you mean \(quoted($0))?" } ?? "")
    }
    if let match = text.wholeMatch(of: #/Missing value for '(?<name>[^ ']+)(?: <(?<value>.*)>)?'/#)
    {
      return "\(match.name) needs a value" + (match.value.map { " (\($0))" } ?? "")
    }
    if let match = text.wholeMatch(
      of: #/The option '(?<name>.*)' does not take any value, but '.*' was specified\./#)
    {
      return "\(match.name) takes no value"
    }
    if let match = text.wholeMatch(of: #/Missing expected argument '(?<name>.*)'/#) {
      return "missing \(match.name)"
    }
    let unexpected = unexpectedWords(text)
    if !unexpected.isEmpty {
      return "unexpected argument" + (unexpected.count > 1 ? "s " : " ")
        + unexpected.map(quoted).joined(separator: ", ")
    }
    if let match = text.wholeMatch(
      of: #/The value '(?<value>.*)' is invalid for '(?<name>[^']*)'(?<rest>.*)/#
        .dotMatchesNewlines())
    {
      return invalidValue(String(match.value), for: String(match.name), String(match.rest))
    }
    // Not a form known here: at least one line, and no capital where a sentence goes on.
    let line = text.split(separator: "\n").joined(separator: "; ")
    return line.prefix(1).lowercased() + line.dropFirst()
  }

  /// `value` did not convert for `name` (`--max <n>` or `<source>`); `rest` is what
  /// argument-parser said after the name: `: <reason>` (from `Number`), or the values it
  /// takes, in a sentence or (six and more) as a list.
  private static func invalidValue(_ value: String, for name: String, _ rest: String) -> String {
    let values: [String]
    if rest.contains("\n  - ") {
      values = rest.split(separator: "\n").filter { $0.hasPrefix("  - ") }.map {
        String($0.dropFirst(4))
      }
    } else {
      values = rest.matches(of: #/'(?<value>[^']*)'/#).map { String($0.value) }
    }
    let valueList = values.joined(separator: ", ")
    if name.hasPrefix("<") {
      // `<source>`: "unknown source "nowhere"; one of …".
      return "unknown \(name.dropFirst().dropLast()) \(quoted(value))"
        + (values.isEmpty ? "" : "; one of \(valueList)")
    }
    let option = name.split(separator: " ").first.map(String.init) ?? name
    let expected =
      rest.hasPrefix(": ")
      ? String(rest.dropFirst(2)) : values.isEmpty ? "another value" : "one of \(valueList)"
    return "\(option) takes \(expected), not \(quoted(value))"
  }

  /// The words of an "Unexpected argument 'x'" or "2 unexpected arguments: 'x', 'y'".
  private static func unexpectedWords(_ text: String) -> [String] {
    if let match = text.wholeMatch(of: #/Unexpected argument '(?<word>.*)'/#) {
      return [String(match.word)]
    }
    if let match = text.wholeMatch(of: #/\d+ unexpected arguments: '(?<words>.*)'/#) {
      return match.words.split(separator: "', '", omittingEmptySubsequences: false).map(
        String.init)
    }
    return []
  }

  /// A word of the user's in quotes, cut short (the line is cleaned when it is written).
  private static func quoted(_ word: some StringProtocol) -> String {
    "\"" + word.prefix(60) + "\""
  }
}

/// The commands that the words name, as argument-parser reads them: the leading words
/// that are subcommand names, then the default subcommand of the last of them, if it has
/// one (`orgscope --demo` is `orgscope browse --demo`).
struct CommandPath {
  /// The root and the commands named.
  var named: [any ParsableCommand.Type] = [OrgScope.self]
  /// `named`, and the default subcommands that run when no further command is named.
  var withDefaults: [any ParsableCommand.Type]

  init(_ arguments: [String]) {
    for word in arguments {
      guard
        let next = named.last?.configuration.subcommands.first(where: { $0._commandName == word })
      else { break }
      named.append(next)
    }
    withDefaults = named
    while let next = withDefaults.last?.configuration.defaultSubcommand {
      withDefaults.append(next)
    }
  }

  func names(_ commands: [any ParsableCommand.Type]) -> String {
    commands.map { $0._commandName }.joined(separator: " ")
  }
}
