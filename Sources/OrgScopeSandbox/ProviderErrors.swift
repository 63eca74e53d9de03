import OrgScopeCore

/// Each provider's own error body, as its API documents it.
enum ProviderError {
  /// `{code, message, more_info, status}`.
  static func twilio(_ status: Int, code: Int, _ message: String) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("code", int: code)
    json.field("message", message)
    json.field("more_info", "https://www.twilio.com/docs/errors/\(code)")
    json.field("status", int: status)
    json.endObject()
    return .json(status, json)
  }

  /// `{success:false, errors:[{code, message}], messages:[], result:null}`.
  static func cloudflare(_ status: Int, code: Int, _ message: String) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("success", bool: false)
    json.key("errors")
    json.beginArray()
    json.beginObject()
    json.field("code", int: code)
    json.field("message", message)
    json.endObject()
    json.endArray()
    json.key("messages")
    json.beginArray()
    json.endArray()
    json.key("result")
    json.null()
    json.endObject()
    return .json(status, json)
  }

  /// `{errors:[{message, field, error_id}]}`.
  static func sendGrid(
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

  /// `{error_code, error_msg}` with the request id in `X-Request-Id` (and in the body, as
  /// the API gateway does).
  static func huawei(
    _ status: Int, code: String, _ message: String, requestID: String
  ) -> SandboxResponse {
    var json = JSONBuilder(capacity: 256)
    json.beginObject()
    json.field("error_code", code)
    json.field("error_msg", message)
    json.field("request_id", requestID)
    json.endObject()
    return .json(status, json, headers: [Header("X-Request-Id", requestID)])
  }

  /// The error body of `route` for a status with no better message (503, 429, 404).
  static func generic(
    _ route: SandboxRoute, status: Int, message: String, requestID: String
  ) -> SandboxResponse {
    switch route {
    case .twilioAccounts, .twilioRoles, .twilioToken:
      return twilio(status, code: status == 429 ? 20429 : 20500 + status % 100, message)
    case .cloudflare:
      return cloudflare(status, code: status == 429 ? 10429 : 10000 + status, message)
    case .sendgrid:
      return sendGrid(status, errorID: "10-\(status)00", message)
    case .huawei:
      return huawei(
        status, code: status == 429 ? "APIGW.0308" : "Organizations.\(status)0",
        message, requestID: requestID)
    }
  }
}
