import ArgumentParser

@main
struct OrgScope: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "orgscope")
  func run() async throws {}
}
