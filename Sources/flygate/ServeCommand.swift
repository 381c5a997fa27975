import ArgumentParser

/// `flygate serve`: the daemon (not written yet).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the flygate daemon (not implemented yet).")

    func run() async throws {
        print("flygate serve: not implemented yet")
        throw ExitCode(1)
    }
}
