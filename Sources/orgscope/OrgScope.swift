import ArgumentParser
import Foundation
import OrgScopeCore
import OrgScopeSandbox
import OrgScopeTUI

/// The command line: wiring only. Behaviour lives in OrgScopeCore, OrgScopeTUI and
/// OrgScopeSandbox.
@main
struct OrgScope: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "orgscope",
    abstract: "A fast, read-only terminal browser for organization accounts and IAM roles.",
    discussion: """
      With no command, orgscope browses every configured source: orgscope [--demo] \
      [--snapshot <file>] [--since <file>] [--theme <name>] [--profile <name>] \
      (see 'orgscope browse --help'). --demo uses the built-in sandbox: no account or \
      credentials needed.
      """ + "\n\n"
        + examples(
          "orgscope --demo", "orgscope --since latest",
          "orgscope list cloudflare --search acme --format csv"),
    subcommands: [
      Browse.self, List.self, Roles.self, WhoCan.self, Users.self, Snapshots.self,
      SandboxCommand.self,
    ],
    defaultSubcommand: Browse.self)

  @OptionGroup var root: RootOptions

  func validate() throws {
    if root.showVersion { throw CleanExit.message(Self.version) }
  }

  /// Runs the command and maps every failure to PRODUCT.md's exit codes: 0 ok, 1 API or
  /// network error, 2 usage or configuration error, each as one line on stderr (two for a
  /// usage error: what is wrong, and where help is).
  static func main() async {
    WarmUp.start()
    let arguments = Array(CommandLine.arguments.dropFirst())
    var command: any ParsableCommand
    let root: any AsyncParsableCommand.Type =
      RootReference.answers(arguments) ? RootReference.self : OrgScope.self
    do {
      command = try await root.asyncParseAsRoot(arguments)
    } catch {
      // Help, the version, completion scripts and completions end parsing too, with
      // status 0.
      if root.exitCode(for: error) == .success {
        print(root.fullMessage(for: error))
        finish(0)
      }
      usageError(UsageMistake(error, arguments: arguments))
    }
    let code: Int32
    do {
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      code = 0
    } catch let error as OrgScopeError {
      Console.errorLine(error.description)
      code = error.exitCode
    } catch let error as ValidationError {
      usageError(UsageMistake(error, arguments: arguments))
    } catch let error as ThemeError {
      // A theme is configuration: a usage or configuration error.
      Console.errorLine(error.description)
      code = 2
    } catch let exit as ExitCode {
      code = exit.rawValue
    } catch  where exitCode(for: error) == .success {
      // `--help` and `help COMMAND` run argument-parser's help command.
      print(fullMessage(for: error))
      code = 0
    } catch {
      Console.errorLine("\(error)")
      code = 1
    }
    finish(code)
  }

  /// A usage error's two lines, and status 2.
  private static func usageError(_ mistake: UsageMistake) -> Never {
    Console.errorLine("usage: " + mistake.message)
    Console.errorLine("see: \(mistake.command) --help")
    finish(2)
  }

  /// Everything is written and closed: exits without running atexit handlers (about 0.5 ms
  /// with the runtime linked in), after flushing what `print` buffered.
  private static func finish(_ code: Int32) -> Never {
    fflush(nil)
    _exit(code)
  }
}

/// The examples that end a command's help (and its part of the manual): one command a line.
func examples(_ commands: String...) -> String {
  "Examples:\n" + commands.map { "  " + $0 }.joined(separator: "\n")
}

/// The root's own options: the root's rather than the configuration's version, which
/// argument-parser would list in every subcommand's help, where it does not belong.
struct RootOptions: ParsableArguments {
  @Flag(name: .customLong("version"), help: "Show the version.")
  var showVersion = false
}

/// `orgscope` as the completion scripts and the manual describe it: its commands, and where
/// a group has a default command, that command's options offered by the group too
/// (`orgscope --demo`, `orgscope --since latest`, `orgscope snapshot -o q4.db`).
/// argument-parser offers a default command's options only after its name
/// (apple/swift-argument-parser#488), and a group cannot declare them itself: a group's
/// options are taken from anywhere on the line, so `list --snapshot F` would lose its file
/// to the root. These types are only ever parsed to answer those requests; the commands run
/// from `OrgScope`.
struct RootReference: AsyncParsableCommand {
  static let configuration = {
    var configuration = OrgScope.configuration
    configuration.subcommands = configuration.subcommands.map {
      $0 == Snapshots.self ? SnapshotsReference.self : $0
    }
    return configuration
  }()

  @OptionGroup var root: RootOptions
  @OptionGroup var common: CommonOptions
  @OptionGroup var options: BrowseOptions
  @OptionGroup var demoSandbox: DemoSandboxOptions

  /// Whether `arguments` ask for a completion script, a completion (the scripts call
  /// `orgscope ---completion …`) or the manual's description (`generate-manual`).
  static func answers(_ arguments: [String]) -> Bool {
    arguments.first == "---completion"
      || arguments.contains {
        $0 == "--generate-completion-script" || $0.hasPrefix("--generate-completion-script=")
          || $0 == "--experimental-dump-help"
      }
  }
}

/// `orgscope snapshot` with `snapshot take`'s options (see `RootReference`).
struct SnapshotsReference: ParsableCommand {
  static let configuration = Snapshots.configuration

  @OptionGroup var common: CommonOptions
  @OptionGroup var options: TakeOptions
  @OptionGroup var demoSandbox: DemoSandboxOptions
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: ArgumentHelp("Profile (table) of the config file to use.", valueName: "name"))
  var profile: String?

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Theme: \(ThemeName.builtIn.joined(separator: ", ")), or the name of your own.",
      valueName: "name"))
  var theme: ThemeName?

  @Option(
    name: .customLong("log-file"), parsing: .unconditional,
    help: ArgumentHelp("Write requests, retries and errors to this file.", valueName: "path"),
    completion: .file())
  var logFile: String?

  @Option(
    name: .customLong("config"), parsing: .unconditional,
    help: ArgumentHelp(
      "Config file (default $XDG_CONFIG_HOME/orgscope/config.toml).", valueName: "path"),
    completion: .file())
  var configPath: String?

  @Flag(help: "Use the built-in sandbox: no account or credentials needed.")
  var demo = false

  /// The sandbox's organization some weeks later (`snapshot diff`, `--since` trials).
  @Option(
    name: .customLong("demo-epoch"), parsing: .unconditional,
    help: ArgumentHelp(
      "With --demo: the organization as it is (initial) or some weeks later (later), to try snapshot diff and --since.",
      valueName: "epoch"))
  var demoEpoch: SandboxEpoch = .initial
}

/// The demo sandbox's size and latency, for trials and the benchmark.
struct DemoSandboxOptions: ParsableArguments {
  @Option(
    name: .customLong("demo-latency"), parsing: .unconditional, help: .hidden,
    transform: Number.whole)
  var latency = 0

  @Option(
    name: .customLong("demo-accounts"), parsing: .unconditional, help: .hidden,
    transform: Number.whole)
  var accounts = 5000

  @Option(
    name: .customLong("demo-users"), parsing: .unconditional, help: .hidden,
    transform: Number.whole)
  var users = SandboxOptions().users

  var options: SandboxOptions {
    var options = SandboxOptions(accounts: accounts, latencyMilliseconds: latency)
    options.users = users
    return options
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
