import Foundation
import NIOCore

/// Start-up work that does not depend on the command line, done on another core while the
/// arguments are parsed: the event loop threads are started, and the runtime meets the
/// types of the request path (URL checks, signing, the HTTP client) for the first time, so
/// that the first request does not pay for it. Everything here is local; nothing is sent.
public enum WarmUp {
  public static func start() {
    Thread.detachNewThread { run() }
  }

  static func run() {
    _ = HTTPClientTransport.loop.any()
    var request = HTTPRequestSpec(url: "https://warm-up.invalid/v1/x?limit=1&marker=a")
    try? HuaweiSigner.sign(
      &request, accessKey: "warm-up", secretKey: "warm-up", securityToken: nil, date: Date())
    _ = HTTPTransportOptions()
  }
}
