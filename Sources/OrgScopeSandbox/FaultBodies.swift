import OrgScopeCore

/// The broken answers of `--fault`.
enum FaultBodies {
  static func html500(_ route: SandboxRoute) -> SandboxResponse {
    let page = """
      <!DOCTYPE html>
      <html>
      <head><title>500 Internal Server Error</title></head>
      <body>
      <center><h1>500 Internal Server Error</h1></center>
      <hr><center>sandbox (\(route.rawValue))</center>
      </body>
      </html>

      """
    return SandboxResponse(
      status: 500, headers: [Header("Content-Type", "text/html; charset=utf-8")],
      body: Array(page.utf8))
  }

  /// The real answer with its body cut in the middle, still labelled JSON and status 200.
  static func truncated(_ response: SandboxResponse) -> SandboxResponse {
    guard case .bytes(let body) = response.body else { return response }
    let cut = Array(body.prefix(max(1, body.count / 2)))
    return SandboxResponse(status: 200, headers: response.headers, body: cut)
  }

  /// The size of an oversized answer: more than 64 MiB, the client's bound.
  static let oversizedBytes = 64 * 1024 * 1024 + 1024 * 1024

  /// A 200 JSON body larger than 64 MiB, streamed in 64 KiB chunks of filler records in
  /// the list of `route`'s answers.
  static func oversized(_ route: SandboxRoute) -> SandboxResponse {
    let key = route.listKey
    let record = Array(#"{"id":"oversized","name":"padding padding padding padding"},"#.utf8)
    var chunk: [UInt8] = []
    chunk.reserveCapacity(65_536)
    while chunk.count + record.count <= 65_536 { chunk += record }
    let count = oversizedBytes / chunk.count + 1
    return SandboxResponse(
      status: 200, headers: [Header("Content-Type", "application/json")],
      streaming: .repeated(
        prefix: Array("{\"\(key)\":[".utf8), chunk: chunk, count: count,
        suffix: Array(#"{"id":"end"}]}"#.utf8)))
  }
}
