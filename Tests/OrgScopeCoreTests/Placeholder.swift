import Testing

@Test func placeholderOrgScopeCoreTests() {}
