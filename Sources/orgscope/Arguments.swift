import OrgScopeCore

/// The command line, declared as data and parsed by hand: a handful of commands with
/// `--name value` options do not need reflection, and a generic parser spent 4–8 ms of every
/// start (conformance lookups over the whole binary) before the first request could leave.

/// An option (`--name <value>`) or a flag (`--name`) of a command.
struct OptionSpec: Sendable {
  var name: String
  /// The value's name in help (`--name <value>`); nil for a flag.
  var value: String?
  var help: String
  var hidden = false
  /// May be given more than once, every value kept; otherwise the last one counts.
  var repeatable = false
  /// A one-letter spelling (`-o` for `--output`).
  var short: Character?

  static func option(
    _ name: String, _ value: String, _ help: String, hidden: Bool = false,
    repeatable: Bool = false, short: Character? = nil
  ) -> OptionSpec {
    OptionSpec(
      name: name, value: value, help: help, hidden: hidden, repeatable: repeatable, short: short)
  }

  static func flag(_ name: String, _ help: String, hidden: Bool = false) -> OptionSpec {
    OptionSpec(name: name, value: nil, help: help, hidden: hidden)
  }
}

/// A required positional argument, or (the last one, `variadic`) any number of them.
struct ArgumentSpec: Sendable {
  var name: String
  var help: String
  var variadic = false
}

/// A command: its options and arguments, or its subcommands.
struct CommandSpec: Sendable {
  var name: String
  var abstract: String
  var discussion = ""
  var arguments: [ArgumentSpec] = []
  var options: [OptionSpec] = []
  var subcommands: [CommandSpec] = []
  /// The subcommand run when none is named (`orgscope` alone browses).
  var defaultSubcommand: String?
}

/// A command line that did not parse, with the command whose help explains it.
struct UsageError: Error {
  var message: String
  /// `orgscope list`, say: where `--help` helps.
  var command: String
}

/// What the words asked for.
enum ParsedCommandLine {
  case run(ParsedArguments)
  case help(String)
  case version
}

/// The options and arguments given to one command.
struct ParsedArguments: Sendable {
  /// The command's names from the root: `["orgscope", "roles", "grants"]`.
  var path: [String]
  var values: [String: [String]] = [:]
  var arguments: [String] = []

  func flag(_ name: String) -> Bool { values[name] != nil }
  func string(_ name: String) -> String? { values[name]?.last }
  func strings(_ name: String) -> [String] { values[name] ?? [] }

  /// The option's value converted, or `fallback` when it is not given; a value that does
  /// not convert is a usage error that says what was expected.
  func value<T>(
    _ name: String, _ fallback: T, expected: String, _ convert: (String) -> T?
  ) throws -> T {
    guard let text = string(name) else { return fallback }
    guard let value = convert(text) else {
      throw UsageError(
        message: "--\(name) takes \(expected), not \"\(Sanitizer.clean(text))\"",
        command: path.joined(separator: " "))
    }
    return value
  }

  func int(_ name: String) throws -> Int? {
    try value(name, nil, expected: "a whole number") { Int($0).map { Optional($0) } }
  }

  func int(_ name: String, default fallback: Int) throws -> Int {
    try value(name, fallback, expected: "a whole number") { Int($0) }
  }

  /// One of a fixed set of words (`--format json`).
  func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) throws -> T
  where T.RawValue == String {
    try value(
      name, fallback,
      expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "), T.init(rawValue:))
  }
}

enum ArgumentParsing {
  /// Parses `words` (without the program name) against the tree under `root`.
  static func parse(_ words: [String], root: CommandSpec) throws -> ParsedCommandLine {
    var chain = [root]
    var rest = words[...]
    // Subcommand names come first; then the options and arguments of the one named last.
    while let command = chain.last, !command.subcommands.isEmpty {
      // A word that is not an option and not a subcommand's name goes to the default
      // subcommand only when that one takes arguments (`orgscope frob` is a mistake).
      let startsWithWord = rest.first.map { !$0.hasPrefix("-") } ?? false
      if let word = rest.first, let sub = command.subcommands.first(where: { $0.name == word }) {
        chain.append(sub)
        rest = rest.dropFirst()
      } else if rest.contains(where: { $0 == "--help" || $0 == "-h" }) {
        return .help(help(chain))
      } else if chain.count == 1, rest.contains("--version") {
        return .version
      } else if let name = command.defaultSubcommand,
        let sub = command.subcommands.first(where: { $0.name == name }),
        !startsWithWord || !sub.arguments.isEmpty
      {
        chain.append(sub)
      } else {
        let names = command.subcommands.map(\.name).joined(separator: ", ")
        throw UsageError(
          message: rest.first.map { "unknown command \"\(Sanitizer.clean($0))\"; one of \(names)" }
            ?? "a command is needed: one of \(names)",
          command: chain.map(\.name).joined(separator: " "))
      }
    }
    let command = chain[chain.count - 1]
    let commandName = chain.map(\.name).joined(separator: " ")
    func failure(_ message: String) -> UsageError {
      UsageError(message: message, command: commandName)
    }
    var parsed = ParsedArguments(path: chain.map(\.name))
    var onlyArguments = false
    while let word = rest.popFirst() {
      if onlyArguments || !word.hasPrefix("-") || word == "-" {
        parsed.arguments.append(word)
        continue
      }
      if word == "--" {
        onlyArguments = true
        continue
      }
      if word == "--help" || word == "-h" { return .help(help(chain)) }
      var name = Substring(word.dropFirst(word.hasPrefix("--") ? 2 : 1))
      var inline: String?
      if let equals = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: equals)...])
        name = name[..<equals]
      }
      let short = word.hasPrefix("--") ? nil : name.count == 1 ? name.first : nil
      guard word.hasPrefix("--") || short != nil,
        let option = command.options.first(where: {
          short == nil ? $0.name == name : $0.short == short
        })
      else {
        throw failure("unknown option \"\(Sanitizer.clean(String(word.prefix(60))))\"")
      }
      let value: String
      if option.value == nil {
        if inline != nil { throw failure("--\(option.name) takes no value") }
        value = ""
      } else if let inline {
        value = inline
      } else if let next = rest.popFirst() {
        value = next
      } else {
        throw failure("--\(option.name) needs a value (\(option.value ?? "value"))")
      }
      if option.repeatable {
        parsed.values[option.name, default: []].append(value)
      } else {
        parsed.values[option.name] = [value]
      }
    }
    let variadic = command.arguments.last?.variadic ?? false
    let required = command.arguments.count - (variadic ? 1 : 0)
    if !variadic, parsed.arguments.count > command.arguments.count {
      let extra = parsed.arguments[command.arguments.count]
      throw failure("unexpected argument \"\(Sanitizer.clean(String(extra.prefix(60))))\"")
    }
    if parsed.arguments.count < required {
      throw failure("missing <\(command.arguments[parsed.arguments.count].name)>")
    }
    return .run(parsed)
  }

  /// The help of the last command of `chain`, in the usual OVERVIEW/USAGE/OPTIONS layout.
  static func help(_ chain: [CommandSpec]) -> String {
    let command = chain[chain.count - 1]
    let name = chain.map(\.name).joined(separator: " ")
    // The default subcommand's options are the root's too (`orgscope --demo`).
    let defaultCommand = command.subcommands.first { $0.name == command.defaultSubcommand }
    let options = (command.options + (defaultCommand?.options ?? [])).filter { !$0.hidden }
    var usage = name
    // The default subcommand's arguments are the group's too (`orgscope snapshot cloudflare`).
    for argument in command.arguments + (defaultCommand?.arguments ?? []) {
      usage += argument.variadic ? " [<\(argument.name)> ...]" : " <\(argument.name)>"
    }
    if !options.isEmpty { usage += " [options]" }
    if !command.subcommands.isEmpty {
      usage =
        defaultCommand == nil
        ? name + " <subcommand>" : usage + "\n       \(name) <subcommand> [options]"
    }
    var text = "OVERVIEW: \(command.abstract)\n"
    if !command.discussion.isEmpty {
      text += "\n" + wrap(command.discussion, width: 80).joined(separator: "\n") + "\n"
    }
    text += "\nUSAGE: \(usage)\n"
    func rows(_ title: String, _ rows: [(String, String)]) {
      guard !rows.isEmpty else { return }
      let width = min(26, (rows.map(\.0.count).max() ?? 0) + 2)
      text += "\n\(title):\n"
      let indent = String(repeating: " ", count: width + 2)
      for (left, right) in rows {
        let label = "  " + left
        let lines = wrap(right, width: max(30, 80 - indent.count))
        text += label.count > width ? label + "\n" + indent : label.padding(width + 2)
        text += lines.joined(separator: "\n" + indent) + "\n"
      }
    }
    rows("ARGUMENTS", command.arguments.map { ("<\($0.name)>", $0.help) })
    var optionRows = options.map { option in
      (
        (option.short.map { "-\($0), " } ?? "") + "--\(option.name)"
          + (option.value.map { " <\($0)>" } ?? ""), option.help
      )
    }
    if chain.count == 1 { optionRows.append(("--version", "Show the version.")) }
    optionRows.append(("-h, --help", "Show help information."))
    rows("OPTIONS", optionRows)
    rows(
      "SUBCOMMANDS",
      command.subcommands.map { sub in
        (sub.name + (sub.name == command.defaultSubcommand ? " (default)" : ""), sub.abstract)
      })
    if !command.subcommands.isEmpty {
      text += "\n  See '\(name) <subcommand> --help' for details.\n"
    }
    return text
  }
}

/// `text` in lines of at most `width` characters, broken between words.
private func wrap(_ text: String, width: Int) -> [String] {
  var lines: [String] = []
  var line = ""
  for word in text.split(separator: " ") {
    if !line.isEmpty && line.count + 1 + word.count > width {
      lines.append(line)
      line = ""
    }
    line += (line.isEmpty ? "" : " ") + word
  }
  return lines + [line]
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
