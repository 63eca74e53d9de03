import Testing

@Test func placeholderOrgScopeTUITests() {}
