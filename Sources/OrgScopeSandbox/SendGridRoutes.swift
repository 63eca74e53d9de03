import OrgScopeCore

extension SandboxAPI {
  /// `GET /sendgrid/v3/partners/accounts`: `limit` (default 10, at most 100) and `offset`,
  /// the id of the last account already retrieved.
  func sendGridAccounts(_ request: SandboxRequest) -> SandboxResponse {
    guard request.method == "GET" else {
      return ProviderError.sendGrid(405, errorID: "10-40500", "Method not allowed")
    }
    guard request.header("Authorization") == "Bearer \(SandboxCredentials.sendGridAPIKey)" else {
      return ProviderError.sendGrid(401, errorID: "10-40100", "Failed to authenticate user")
    }
    var limit = 10
    if let text = request.parameter("limit") {
      guard let value = Int(text), (1...100).contains(value) else {
        return ProviderError.sendGrid(
          400, errorID: "10-40001", field: "limit", "limit must be an integer between 1 and 100")
      }
      limit = value
    }
    var start = 0
    if let offset = request.parameter("offset"), !offset.isEmpty {
      guard let index = data.sendGridIndex(of: offset) else {
        return ProviderError.sendGrid(
          400, errorID: "10-40002", field: "offset", "offset is not the id of an account")
      }
      start = index + 1
    }
    let end = min(data.accountCount, start + limit)
    var json = JSONBuilder(capacity: 160 * max(1, end - start) + 128)
    json.beginObject()
    json.key("accounts")
    json.beginArray()
    if start < end {
      for index in start..<end {
        json.record(.sendgrid, index, cache: records, write: data.writeSendGridAccount)
      }
    }
    json.endArray()
    json.key("pages")
    json.beginObject()
    if start < end { json.field("last", data.sendGridID(end - 1)) }
    json.endObject()
    json.endObject()
    return .json(200, json)
  }
}
