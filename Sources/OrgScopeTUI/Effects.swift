import Foundation
import OrgScopeCore

/// Side effects that are plain functions of their input, kept apart from the runtime so
/// tests can check them without a terminal.
enum Effects {
  /// The OSC 52 sequence that puts `text` on the clipboard; inside tmux it is wrapped in a
  /// DCS passthrough (with ESC doubled) so tmux hands it to the outer terminal.
  static func osc52(_ text: String, tmux: Bool) -> String {
    let payload = Data(text.utf8).base64EncodedString()
    let sequence = "\u{1B}]52;c;\(payload)\u{07}"
    guard tmux else { return sequence }
    return "\u{1B}Ptmux;\u{1B}" + sequence + "\u{1B}\\"
  }

  /// The export file's contents.
  static func exportText(_ request: ExportRequest) -> String {
    switch request.format {
    case .json: return RecordOutput.json(request.records)
    case .csv: return RecordOutput.csv(request.records)
    }
  }

  /// A file name in `directory` that does not exist yet: `orgscope-<source>-<stamp>.<ext>`.
  static func exportPath(_ request: ExportRequest, directory: String, date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let stem = "orgscope-\(request.source.rawValue)-\(formatter.string(from: date))"
    var path = (directory as NSString).appendingPathComponent("\(stem).\(request.format.rawValue)")
    var counter = 2
    while FileManager.default.fileExists(atPath: path) {
      path = (directory as NSString).appendingPathComponent(
        "\(stem)-\(counter).\(request.format.rawValue)")
      counter += 1
    }
    return path
  }

  /// Writes the export (mode 0600: it may hold account data) and returns its path.
  static func export(_ request: ExportRequest, directory: String, date: Date) throws -> String {
    let path = exportPath(request, directory: directory, date: date)
    let data = Data(exportText(request).utf8)
    guard
      FileManager.default.createFile(
        atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    return path
  }
}
