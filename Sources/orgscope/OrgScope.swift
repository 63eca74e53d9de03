import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// A command of the command line: its declaration, and how it runs once parsed.
protocol Subcommand: Sendable {
  /// The names below the root: `["roles", "grants"]`.
  static var path: [String] { get }
  static var spec: CommandSpec { get }
  init(_ arguments: ParsedArguments) throws
  func run() async throws
}

/// The process ends with this code (after the command said what went wrong).
struct ExitStatus: Error {
  var code: Int32
}

/// The command line: wiring only. Behaviour lives in OrgScopeCore, OrgScopeTUI and
/// OrgScopeSandbox.
@main
enum OrgScope {
  static let version = "0.1.0"

  static let commands: [any Subcommand.Type] = [
    Browse.self, List.self, Roles.Grants.self, Roles.Diff.self, Roles.Matrix.self,
    SandboxCommand.self, Snapshots.Take.self, Snapshots.Diff.self, Snapshots.List.self,
  ]

  static let spec = CommandSpec(
    name: "orgscope",
    abstract: "A fast, read-only terminal browser for organization accounts and IAM roles.",
    subcommands: [Browse.spec, List.spec, Roles.spec, Snapshots.spec, SandboxCommand.spec],
    defaultSubcommand: Browse.spec.name)

  /// Runs the command and maps every failure to PRODUCT.md's exit codes: 0 ok, 1 API or
  /// network error, 2 usage or configuration error, each as one line on stderr.
  static func main() async {
    let code: Int32
    do {
      WarmUp.start()
      let parsed = try ArgumentParsing.parse(Array(CommandLine.arguments.dropFirst()), root: spec)
      switch parsed {
      case .version: print(version)
      case .help(let text): print(text, terminator: "")
      case .run(let arguments):
        guard let type = commands.first(where: { [spec.name] + $0.path == arguments.path }) else {
          throw UsageError(message: "no such command", command: spec.name)
        }
        try await type.init(arguments).run()
      }
      code = 0
    } catch let error as OrgScopeError {
      Console.errorLine(error.description)
      code = error.exitCode
    } catch let error as UsageError {
      Console.errorLine("usage: " + error.message)
      Console.errorLine("see: \(error.command) --help")
      code = 2
    } catch let error as ThemeError {
      // A theme is configuration: a usage or configuration error.
      Console.errorLine(error.description)
      code = 2
    } catch let exit as ExitStatus {
      code = exit.code
    } catch {
      Console.errorLine("\(error)")
      code = 1
    }
    // Everything is written and closed: exit without running atexit handlers (about 0.5 ms
    // with the runtime linked in), after flushing what `print` buffered.
    fflush(nil)
    _exit(code)
  }
}

/// Options every command takes.
struct CommonOptions {
  static let specs: [OptionSpec] = [
    .option("profile", "name", "Profile (table) of the config file to use."),
    .option("theme", "name", "Theme name (default, dark, light, high-contrast, mono or your own)."),
    .option("log-file", "path", "Write requests, retries and errors to this file."),
    .option("config", "path", "Config file (default $XDG_CONFIG_HOME/orgscope/config.toml)."),
    .flag("demo", "Use the built-in sandbox: no account or credentials needed."),
    // The sandbox's organization some weeks later (`snapshot diff`, `--since` trials).
    .option("demo-epoch", "initial|later", "", hidden: true),
  ]

  var profile: String?
  var theme: String?
  var logFile: String?
  var configPath: String?
  var demo: Bool
  var demoEpoch: SandboxEpoch

  init(_ arguments: ParsedArguments) throws {
    demo = arguments.flag("demo")
    demoEpoch = try arguments.choice("demo-epoch", default: .initial)
    profile = arguments.string("profile")
    theme = arguments.string("theme")
    logFile = arguments.string("log-file")
    configPath = arguments.string("config")
  }
}

/// Writing to stderr, one line per error, with control characters removed.
enum Console {
  static func errorLine(_ text: String) {
    let line = "orgscope: " + Sanitizer.clean(text) + "\n"
    FileHandle.standardError.write(Data(line.utf8))
  }

  /// The terminal width for table output: `COLUMNS`, the tty's width, or 100 when piped.
  static func width() -> Int {
    if let columns = ProcessInfo.processInfo.environment["COLUMNS"], let value = Int(columns),
      value > 0
    {
      return value
    }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return 100
  }

  static var isUTF8: Bool {
    let env = ProcessInfo.processInfo.environment
    let locale = env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? ""
    return locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
  }
}

/// Standard output through one buffered writer: listing 100,000 records must not make
/// 100,000 write calls.
struct Output {
  private var buffer: [UInt8] = []

  mutating func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// One NDJSON line, written straight into the buffer (no String per record).
  mutating func writeLine(_ record: Record) {
    RecordOutput.appendNDJSONLine(record, to: &buffer)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// One element of a streamed JSON array.
  mutating func writeJSON(_ record: Record, with writer: inout RecordOutput.JSONArrayWriter) {
    writer.append(record, to: &buffer)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// The end of a streamed JSON array (`[]` when it had no element).
  mutating func finishJSON(_ writer: RecordOutput.JSONArrayWriter) {
    writer.finish(&buffer)
  }

  mutating func flush() {
    guard !buffer.isEmpty else { return }
    buffer.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Foundation.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
        if written <= 0 { break }
        offset += written
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
