import Testing

@Test func placeholderOrgScopeSandboxTests() {}
