import OrgScopeCore

/// SendGrid's partner accounts, `GET /v3/partners/accounts`, with API-key auth and paging
/// by the id of the last account retrieved.
struct SendGridSandbox: SandboxProvider {
  let endpoints = [
    SandboxEndpoint(.sendgrid, "/v3/partners/accounts", prefix: "sendgrid") { api, call in
      api.sendGridAccounts(call.request)
    }
  ]
  let legacyPrefixes = ["/sendgrid"]

  func errorBody(status: Int, message: String, requestID: String) -> SandboxResponse {
    Self.error(status, errorID: "10-\(status)00", message)
  }

  func notFound(_ message: String, requestID: String) -> SandboxResponse {
    Self.error(404, errorID: "10-40400", message)
  }

  func environment(baseURL: String, data: SandboxData, options: SandboxOptions)
    -> [SandboxVariable]
  {
    [
      ("ORGSCOPE_SENDGRID_URL", baseURL),
      ("SENDGRID_API_KEY", SandboxCredentials.sendGridAPIKey),
    ]
  }

  /// `{errors:[{message, field, error_id}]}`.
  static func error(
    _ status: Int, errorID: String, field: String = "", _ message: String
  ) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.key("errors")
    json.beginArray()
    json.beginObject()
    json.field("message", message)
    json.field("field", field)
    json.field("error_id", errorID)
    json.endObject()
    json.endArray()
    json.endObject()
    return .json(status, json)
  }
}

extension SandboxRoute {
  public static let sendgrid = SandboxRoute("sendgrid", source: .sendgrid, listKey: "accounts")
}

extension Mix.Stream {
  static let sendgrid = Mix.Stream(rawValue: 0x7367_7264)
}

extension SandboxCredentials {
  public static let sendGridAPIKey = "SG.sandbox-demo.sendgrid-partner-key"
}

// MARK: The accounts endpoint

extension SandboxAPI {
  /// `GET /v3/partners/accounts`: `limit` (default 10, at most 100) and `offset`,
  /// the id of the last account already retrieved.
  fileprivate func sendGridAccounts(_ request: SandboxRequest) -> SandboxResponse {
    guard request.method == "GET" else {
      return SendGridSandbox.error(405, errorID: "10-40500", "Method not allowed")
    }
    guard request.header("Authorization") == "Bearer \(SandboxCredentials.sendGridAPIKey)" else {
      return SendGridSandbox.error(401, errorID: "10-40100", "Failed to authenticate user")
    }
    var limit = 10
    if let text = request.parameter("limit") {
      guard let value = Int(text), (1...100).contains(value) else {
        return SendGridSandbox.error(
          400, errorID: "10-40001", field: "limit", "limit must be an integer between 1 and 100")
      }
      limit = value
    }
    var start = 0
    if let offset = request.parameter("offset"), !offset.isEmpty {
      guard let index = data.sendGridIndex(of: offset) else {
        return SendGridSandbox.error(
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

// MARK: Records

extension SandboxData {
  func sendGridID(_ index: Int) -> String {
    "sg" + IDText.recordHex(seed: seed, stream: .sendgrid, index: identity(.sendgrid, index))
  }

  /// The index of a SendGrid id (the `offset` parameter), nil if no such account.
  func sendGridIndex(of id: String) -> Int? {
    guard id.hasPrefix("sg"),
      var index = IDText.index(ofRecordHex: id.dropFirst(2), seed: seed, stream: .sendgrid)
    else { return nil }
    // A replacement account of the later epoch sits in the slot of the one it replaced.
    if index >= Self.replacementBase {
      index -= Self.replacementBase
      guard laterChange(.sendgrid, index) == .replaced else { return nil }
    } else if laterChange(.sendgrid, index) == .replaced {
      return nil
    }
    return index < accountCount ? index : nil
  }

  func writeSendGridAccount(_ index: Int, into json: inout JSONBuilder) {
    let change = laterChange(.sendgrid, index)
    let index = identity(.sendgrid, index)
    let h = Mix.hash(seed, .sendgrid, index, 0x33)
    let created = date(.sendgrid, index, salt: 3)
    json.beginObject()
    json.field("id", sendGridID(index))
    // Only `id` and `created_at` are required: some accounts have nothing else.
    if h % 9 != 0 || change == .renamed {
      let local = ["billing", "ops", "admin", "noreply", "team", "dev"][Int((h >> 8) % 6)]
      let domain =
        change == .renamed ? "renamed\(h % 97).example.org" : "customer\(h % 97).example.com"
      json.field("email", "\(local)+\(index)@\(domain)")
    }
    json.field("created_at", Timestamp.iso8601(created))
    if h % 11 != 0 {
      json.field("updated_at", Timestamp.iso8601(created + Int64((h >> 20) % 40_000_000)))
    }
    json.endObject()
  }
}
