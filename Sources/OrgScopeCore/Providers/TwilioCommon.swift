/// What the two Twilio APIs share: the error body and the `meta` paging block.
enum TwilioWire {
  /// `{code, message, more_info|moreInfo, status}`; anything else falls back to an excerpt.
  static func decodeError(source: SourceID, status: Int, headers: [Header], body: [UInt8])
    -> APIError
  {
    guard let object = ErrorBody.object(body),
      let message = ErrorBody.firstString(object, "message", "detail", "error_description")
    else {
      return APIError(
        source: source, status: status, code: nil,
        message: ErrorBody.fallbackMessage(status: status, body: body))
    }
    let code = PageReader.scalarText(object["code"]) ?? PageReader.scalarText(object["error"])
    return APIError(
      source: source, status: status, code: code, message: message)
  }

  /// The next page from `meta`: `next_page_url` (null = end); a relative URL or a bare
  /// `next_page_token` becomes a `PageToken`.
  static func nextCursor(_ page: JSONObject) -> PageCursor? {
    guard let meta = page["meta"]?.object else { return nil }
    if let next = meta["next_page_url"] {
      guard let url = PageReader.nonEmptyString(next) else { return nil }
      if url.hasPrefix("/") {
        return RequestBuilder.queryValue("PageToken", in: url).flatMap {
          $0.isEmpty ? nil : .token($0)
        }
      }
      return .url(url)
    }
    if let token = PageReader.nonEmptyString(meta["next_page_token"]) { return .token(token) }
    return nil
  }

  /// `nextCursor` from the raw body, without decoding the records.
  static func peekNext(_ body: [UInt8]) -> NextPage? {
    JSONSkim.value(at: ["meta"], in: body).peeked { meta in
      NextPage(
        nextCursor(JSONObject(meta.map { [JSONObject.Field(key: "meta", value: $0)] } ?? [])))
    }
  }

  /// The record list: `key`, or the array that `meta.key` names when `key` is absent.
  static func records(_ page: JSONObject, key: String) throws -> (String, [JSONValue]) {
    if page[key] == nil, let other = page["meta"]?.object?["key"]?.string,
      page[other]?.array != nil
    {
      return (other, try PageReader.array(page, other))
    }
    return (key, try PageReader.array(page, key))
  }
}
