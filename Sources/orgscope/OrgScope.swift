import ArgumentParser
import Foundation
import OrgScopeCore

/// The command line: wiring only. Behaviour lives in OrgScopeCore, OrgScopeTUI and
/// OrgScopeSandbox.
@main
struct OrgScope: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "orgscope",
    abstract: "A fast, read-only terminal browser for organization accounts and IAM roles.",
    version: version,
    subcommands: [Browse.self, List.self, Roles.self, SandboxCommand.self],
    defaultSubcommand: Browse.self
  )

  /// Runs the command and maps every failure to PRODUCT.md's exit codes: 0 ok, 1 API or
  /// network error, 2 usage or configuration error, each as one line on stderr.
  static func main() async {
    let code: Int32
    do {
      WarmUp.start()
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      code = 0
    } catch let error as OrgScopeError {
      Terminal.errorLine(error.description)
      code = error.exitCode
    } catch let exit as ExitCode {
      code = exit.rawValue
    } catch {
      let exitCode = exitCode(for: error)
      if exitCode == .success {
        print(fullMessage(for: error))
        code = 0
      } else {
        Terminal.errorLine(
          message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
        Terminal.errorLine("see: orgscope --help")
        code = 2
      }
    }
    Foundation.exit(code)
  }
}

/// Options every command takes.
struct CommonOptions: ParsableArguments {
  @Option(help: "Profile (table) of the config file to use.")
  var profile: String?

  @Option(help: "Theme name (default, dark, light, high-contrast, mono or your own).")
  var theme: String?

  @Option(name: .customLong("log-file"), help: "Write requests, retries and errors to this file.")
  var logFile: String?

  @Option(
    name: .customLong("config"),
    help: "Config file (default $XDG_CONFIG_HOME/orgscope/config.toml).")
  var configPath: String?
}

/// Writing to stderr, one line per error, with control characters removed.
enum Terminal {
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
