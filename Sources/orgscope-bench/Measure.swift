import Foundation

/// Monotonic clock readings and the statistics the report prints.
enum Measure {
  /// Nanoseconds on the monotonic clock.
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  /// Milliseconds since `start`.
  static func milliseconds(since start: UInt64) -> Double {
    Double(now() &- start) / 1_000_000
  }

  /// The value at `fraction` (0...1) of the sorted samples, nearest rank.
  static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
    guard !samples.isEmpty else { return .nan }
    let sorted = samples.sorted()
    let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
  }

  static func median(_ samples: [Double]) -> Double { percentile(samples, 0.5) }

  /// `VmRSS` and `VmHWM` of this process in MiB, from /proc/self/status (Linux only; nil
  /// elsewhere).
  static func residentMemory() -> (rss: Double, peak: Double)? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return nil
    }
    func field(_ name: String) -> Double? {
      guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
        let kilobytes = line.split(separator: " ").compactMap({ Double($0) }).first
      else { return nil }
      return kilobytes / 1024
    }
    guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
    return (rss, peak)
  }
}

/// Keeps the optimizer from dropping a computation whose result is otherwise unused.
@inline(never)
@_optimize(none)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

/// One line of JSON on stdout, for `scripts/bench.py`.
func emit(_ object: [String: Any]) throws {
  let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  FileHandle.standardOutput.write(data + Data("\n".utf8))
}
