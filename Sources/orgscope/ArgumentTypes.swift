import ArgumentParser
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

// The values options take, declared once: argument-parser derives from them the parsing,
// the "(values: …)" of the help, the error that lists them and the completion scripts.

extension OutputFormat: ExpressibleByArgument {}
extension MatchMode: ExpressibleByArgument {}
extension SortDirection: ExpressibleByArgument {}
extension SandboxEpoch: ExpressibleByArgument {}

/// A source named on the command line, by its id (`twilio-roles`).
struct SourceName: ExpressibleByArgument, Sendable {
  var id: SourceID

  init?(argument: String) {
    guard let id = SourceID.allCases.first(where: { $0.rawValue == argument }) else {
      return nil
    }
    self.id = id
  }

  static var allValueStrings: [String] { SourceID.allCases.map(\.rawValue) }
  static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// A source whose records carry role policies (`roles --source twilio-roles`).
struct PolicySourceName: ExpressibleByArgument, Sendable {
  var id: SourceID

  init?(argument: String) {
    guard let id = ProviderRegistry.policySources.first(where: { $0.rawValue == argument }) else {
      return nil
    }
    self.id = id
  }

  static var allValueStrings: [String] { ProviderRegistry.policySources.map(\.rawValue) }
  static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

/// `--theme`: a built-in theme, one in the themes folder, or the path of a `.toml` file.
struct ThemeName: ExpressibleByArgument, Sendable {
  /// OrgScopeTUI's built-in themes, offered by completion.
  static var builtIn: [String] { Theme.builtInNames }

  var name: String

  init(argument: String) { name = argument }

  // No `allValueStrings`: any name may be a theme of the user's own.
  static var defaultCompletionKind: CompletionKind { .list(builtIn) }
}

/// Numbers given to options. The error names what was expected, and the usage line reads
/// `--max takes a whole number, not "ten"` (see `UsageMistake`).
enum Number {
  struct Expected: Error, CustomStringConvertible {
    var description: String
  }

  static func whole<T: FixedWidthInteger>(_ text: String) throws -> T {
    guard let value = T(text) else { throw Expected(description: "a whole number") }
    return value
  }

  static func decimal(_ text: String) throws -> Double {
    guard let value = Double(text), value.isFinite else {
      throw Expected(description: "a number")
    }
    return value
  }
}
