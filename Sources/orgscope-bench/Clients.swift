import OrgScopeCore

/// Builds the `SourceClient` of an account source from the variables a sandbox publishes
/// (`RunningSandbox.environment`, or `orgscope sandbox`'s export lines). This mirrors the
/// product's configuration for the benchmark only, so it does not wait on `Configuration`.
enum BenchClients {
  static func make(
    _ source: SourceID, environment: [String: String], transport: any HTTPTransport
  ) throws -> SourceClient {
    func value(_ name: String) throws -> String {
      guard let value = environment[name], !value.isEmpty else {
        throw BenchError.failed("\(name) is not set: point the bench at a sandbox")
      }
      return value
    }
    let provider: any Provider
    let auth: any Authenticator
    let baseVariable: String
    switch source {
    case .twilioAccounts:
      provider = TwilioAccountsProvider(organizationSID: try value("TWILIO_ORGANIZATION_SID"))
      // The sandbox's ready token: the one token request of a real run is counted apart.
      auth = StaticHeaderAuthenticator.bearer(
        environment["TWILIO_ACCESS_TOKEN"] ?? "sandbox-twilio-ready-access-token")
      baseVariable = "ORGSCOPE_TWILIO_PREVIEW_IAM_URL"
    case .twilioRoles:
      provider = TwilioRolesProvider()
      auth = StaticHeaderAuthenticator.bearer(
        environment["TWILIO_ACCESS_TOKEN"] ?? "sandbox-twilio-ready-access-token")
      baseVariable = "ORGSCOPE_TWILIO_IAM_URL"
    case .cloudflare:
      provider = CloudflareProvider(organizationID: try value("CLOUDFLARE_ORGANIZATION_ID"))
      auth = StaticHeaderAuthenticator.bearer(try value("CLOUDFLARE_API_TOKEN"))
      baseVariable = "CLOUDFLARE_BASE_URL"
    case .sendgrid:
      provider = SendGridProvider()
      auth = StaticHeaderAuthenticator.bearer(try value("SENDGRID_API_KEY"))
      baseVariable = "ORGSCOPE_SENDGRID_URL"
    case .huawei:
      provider = HuaweiProvider()
      auth = HuaweiAuthenticator(
        accessKey: try value("HUAWEICLOUD_SDK_AK"), secretKey: try value("HUAWEICLOUD_SDK_SK"),
        securityToken: environment["HUAWEICLOUD_SDK_SECURITY_TOKEN"])
      baseVariable = "ORGSCOPE_HUAWEI_URL"
    }
    let base = try BaseURL.parse(try value(baseVariable), source: source)
    return SourceClient(provider: provider, base: base, auth: auth, transport: transport)
  }
}
