import Foundation

// The benchmark's in-process half; scripts/bench.sh drives it and the real binaries.
do {
  let options = try Options(Array(CommandLine.arguments.dropFirst()))
  switch options.mode {
  case "serve": try await Serve.run(options)
  case "pages": try await Pages.run(options)
  case "ui": try await UIBench.run(options)
  case "audit": try await AuditBench.run(options)
  case "hostile": try await HostileAuditBench.run(options)
  default: throw BenchError.usage("unknown mode '\(options.mode)'")
  }
} catch {
  FileHandle.standardError.write(Data("orgscope-bench: \(error)\n".utf8))
  exit(1)
}
