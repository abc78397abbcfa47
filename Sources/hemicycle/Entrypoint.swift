import ArgumentParser

/// `hemicycle`: the command-line entry point. Subcommands live in their own files.
@main
struct Hemicycle: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hemicycle",
        abstract: "The real-time participation hub for a parliament.",
        subcommands: [Serve.self, MigrateCommand.self, ImportCommand.self, StaffCommand.self, RegionsCommand.self, BillsCommand.self]
    )
}
