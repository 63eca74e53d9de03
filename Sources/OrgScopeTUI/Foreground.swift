import Foundation

/// Job control: the TUI draws only while its process group is the terminal's foreground
/// one. Started in the background (`orgscope &`), or put there while running, it stops
/// the way a program reading the terminal does (SIGTTIN to its group) until the shell
/// brings it back with `fg`, instead of spinning on a terminal it cannot read.
enum Foreground {
  /// Stops, then checks again, at most this many times before giving up (a group that
  /// SIGTTIN cannot stop: an orphaned one, or one that ignores it).
  static let maxStops = 100

  /// Whether the terminal on `descriptor` has this process's group in the foreground (true
  /// when it is no terminal: nothing to wait for).
  static func isForeground(_ descriptor: Int32) -> Bool {
    let group = tcgetpgrp(descriptor)
    return group < 0 || group == getpgrp()
  }

  /// Returns once this process's group is in the foreground, stopping it meanwhile;
  /// false when it could not be stopped (no job control to bring it back).
  static func wait(_ descriptor: Int32) -> Bool {
    var stops = 0
    while !isForeground(descriptor) {
      guard stops < maxStops else { return false }
      // The default action (stop) even when the shell left SIGTTIN ignored.
      let previous = signal(SIGTTIN, SIG_DFL)
      kill(0, SIGTTIN)
      signal(SIGTTIN, previous)
      stops += 1
      // A stop that did not happen (an orphaned group) must not spin either.
      if !isForeground(descriptor) { usleep(10_000) }
    }
    return true
  }

  /// The error when the TUI cannot get the terminal.
  static let notForeground =
    "the TUI needs its terminal in the foreground (run it without & or bring it back with fg)"
}
