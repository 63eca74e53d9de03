/// The demo credentials the sandbox accepts. They are fixed and public on purpose: they
/// open nothing but this local server, and `RunningSandbox.environment` publishes them.
public enum SandboxCredentials {
  public static let twilioClientID = "OQ00000000000000000000000000demo01"
  public static let twilioClientSecret = "sandbox-twilio-client-secret-demo"
  /// A ready bearer token that never expires (for `TWILIO_ACCESS_TOKEN` trials).
  public static let twilioAccessToken = "sandbox-twilio-ready-access-token"
  public static let cloudflareAPIToken = "sandbox-cloudflare-api-token-demo"
  public static let cloudflareEmail = "admin@sandbox.example.com"
  public static let cloudflareAPIKey = "sandbox-cloudflare-global-key-demo"
  public static let sendGridAPIKey = "SG.sandbox-demo.sendgrid-partner-key"
  public static let huaweiAccessKey = "SANDBOXDEMOACCESSKEY"
  public static let huaweiSecretKey = "sandbox-huawei-secret-key-demo"
  public static let huaweiSecurityToken = "sandbox-huawei-security-token-demo"
}
