/// The bench's command line: `MODE --name value ...`. It is an internal tool driven by
/// `scripts/bench.py`, so a tiny parser is enough and keeps ArgumentParser out of the target.
struct Options {
  let mode: String
  private var values: [String: String] = [:]

  init(_ arguments: [String]) throws {
    guard let first = arguments.first else { throw BenchError.usage("missing mode") }
    mode = first
    var index = 1
    while index < arguments.count {
      let name = arguments[index]
      guard name.hasPrefix("--"), index + 1 < arguments.count else {
        throw BenchError.usage("expected --name value, got '\(name)'")
      }
      values[String(name.dropFirst(2))] = arguments[index + 1]
      index += 2
    }
  }

  func int(_ name: String, default value: Int) throws -> Int {
    guard let text = values[name] else { return value }
    guard let number = Int(text), number >= 0 else {
      throw BenchError.usage("--\(name) needs a non-negative integer, got '\(text)'")
    }
    return number
  }

  func string(_ name: String, default value: String) -> String { values[name] ?? value }
}

/// Why a bench run stopped.
enum BenchError: Error, CustomStringConvertible {
  case usage(String)
  case failed(String)

  var description: String {
    switch self {
    case .usage(let message): return "usage: \(message)\n\(Self.help)"
    case .failed(let message): return message
    }
  }

  static let help = """
    orgscope-bench serve --accounts N [--latency MS] [--roles N] [--seed N]
    orgscope-bench pages --accounts N
    orgscope-bench ui [--rows N] [--source SOURCE] [--rounds N]
    orgscope-bench audit [--roles N] [--rounds N]
    (normally run by scripts/bench.sh; see BENCHMARKS.md)
    """
}
