import Foundation
import Testing

@testable import OrgScopeCore

/// Issue 22, finding 6: the low items of the second trial.
@Suite struct HardeningLowTests {
  /// `http://evil.localhost` counted as loopback (plain http allowed, no proxy) although
  /// the system may send the name to DNS.
  @Test func aLocalhostNameIsLoopbackOnlyWhenItResolvesToLoopbackAlone() throws {
    let parts = try #require(URLParts("http://evil.localhost:8080/x"))
    #expect(!parts.isLoopback(resolving: { _ in ["93.184.216.34"] }))
    #expect(!parts.isLoopback(resolving: { _ in ["127.0.0.1", "10.0.0.1"] }))
    #expect(!parts.isLoopback(resolving: { _ in [] }))
    #expect(parts.isLoopback(resolving: { _ in ["127.0.0.1", "::1"] }))
    #expect(parts.isLoopback(resolving: { _ in ["::1"] }))
    #expect(!ProxySettings.isLoopback("evil.localhost"))
    #expect(ProxySettings.isLoopback("localhost"))
  }

  /// What made the name loopback is what is connected to: the resolved address, with the
  /// name in the Host header.
  @Test func aLoopbackLocalhostNameIsPinnedToItsAddress() throws {
    let pin = try #require(
      LoopbackName.pinned("http://api.localhost:8080/v1/x?a=b", resolving: { _ in ["127.0.0.1"] }))
    #expect(pin.url == "http://127.0.0.1:8080/v1/x?a=b")
    #expect(pin.host == "api.localhost:8080")
    #expect(LoopbackName.pinned("http://api.localhost/", resolving: { _ in ["8.8.8.8"] }) == nil)
    #expect(LoopbackName.pinned("http://localhost:1/", resolving: { _ in ["127.0.0.1"] }) == nil)
  }

  /// An invalid base URL was echoed with its `user:pass@`.
  @Test func anInvalidBaseURLIsNeverEchoedWithItsUserinfo() throws {
    for text in [
      "https://admin:s3cretpass@api.example.com/x?y", "https://admin:s3cretpass@[::1",
      "ftp://admin:s3cretpass@host/",
    ] {
      #expect {
        _ = try BaseURL.parse(text, source: .cloudflare)
      } throws: { error in
        let message = (error as? OrgScopeError)?.description ?? ""
        return !message.contains("s3cretpass") && !message.contains("admin")
          && message.contains("invalid base URL")
      }
    }
    #expect {
      _ = try Configuration.load(
        environment: ["CLOUDFLARE_BASE_URL": "https://admin:s3cretpass@api.example.com/?q"],
        readFile: false)
    } throws: { error in
      !"\(error)".contains("s3cretpass")
    }
  }

  /// A name holding the text `\u{202E}` printed like the escaped control character itself.
  @Test func aBackslashIsEscapedInVisibleText() {
    #expect(Sanitizer.visible(#"a\u{202E}b"#) == #"a\\u{202E}b"#)
    #expect(Sanitizer.visible("a\u{202E}b") == #"a\u{202E}b"#)
    #expect(Sanitizer.visible(#"DOMAIN\user"#) == #"DOMAIN\\user"#)
    #expect(Sanitizer.visible("plain") == "plain")
  }
}
