import Foundation
import Testing

@testable import OrgScopeCore

/// Issue 15, finding 5: `--log-file` in a shared directory.
@Suite struct HardeningLogFileTests {
  // MARK: 4. --log-file

  @Test func aLogFileThatIsASymbolicLinkIsRefusedAndItsTargetUntouched() throws {
    let dir = try Scratch.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let target = dir + "/victim"
    #expect(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
    chmod(target, 0o644)
    let link = dir + "/orgscope.log"
    #expect(symlink(target, link) == 0)
    do {
      _ = try EventLog(path: link, redactor: Redactor())
      Issue.record("followed a symbolic link")
    } catch let error as OrgScopeError {
      #expect(error.exitCode == 2)
      #expect(error.description.contains("symbolic link"))
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
    let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
    #expect(mode == 0o644)
  }

  /// The trial's FIFO blocked orgscope forever; this test would hang without O_NONBLOCK.
  @Test(.timeLimit(.minutes(10))) func aLogFileThatIsAFIFOIsRefusedWithoutBlocking() throws {
    let dir = try Scratch.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let fifo = dir + "/orgscope.log"
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: OrgScopeError.self) { _ = try EventLog(path: fifo, redactor: Redactor()) }
  }

  @Test func anExistingLogFileMustBePrivateAndIsAppendedWhenItIs() throws {
    let dir = try Scratch.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/orgscope.log"
    #expect(FileManager.default.createFile(atPath: path, contents: Data("old\n".utf8)))
    chmod(path, 0o644)
    do {
      _ = try EventLog(path: path, redactor: Redactor())
      Issue.record("accepted a log file others can read")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("chmod 600"))
    }
    chmod(path, 0o600)
    let log = try EventLog(path: path, redactor: Redactor())
    log.write("new")
    log.close()
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("old\n") && text.hasSuffix(" new\n"))
    // A new file is created 0600, whatever the umask.
    let fresh = dir + "/fresh.log"
    let created = try EventLog(path: fresh, redactor: Redactor())
    created.close()
    let mode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // A directory is not a regular file.
    #expect(throws: OrgScopeError.self) { _ = try EventLog(path: dir, redactor: Redactor()) }
  }

  @Test func aLogFileOwnedByAnotherUserIsRefusedAndKeepsItsMode() throws {
    // Only root can give a file away; elsewhere there is nothing to check here.
    guard geteuid() == 0 else { return }
    let dir = try Scratch.directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/theirs.log"
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    chmod(path, 0o600)
    #expect(chown(path, 65534, 65534) == 0)
    do {
      _ = try EventLog(path: path, redactor: Redactor())
      Issue.record("accepted another user's file")
    } catch let error as OrgScopeError {
      #expect(error.description.contains("another user"))
    }
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
