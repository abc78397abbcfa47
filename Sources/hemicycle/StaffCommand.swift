import ArgumentParser
import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleSQLite
import Logging

/// `hemicycle staff …`: staff accounts from the command line.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage staff accounts.", subcommands: [StaffAdd.self]
    )
}

/// `hemicycle staff add --data-dir D --email E --name N --role R [--sitting ID]...`; the password is read from
/// standard input (one line), so it never appears in the shell history or the process list.
struct StaffAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create a staff account. Reads its password (at least 12 characters) from standard input."
    )

    @Option(help: "Folder of the database (hemicycle.sqlite).")
    var dataDir: String = "data"
    @Option(help: "Email address (the login).")
    var email: String
    @Option(help: "Name shown to other staff.")
    var name: String
    @Option(help: "admin, clerk, moderator, chair or petitions-moderator.")
    var role: String
    @Option(name: .customLong("sitting"), help: "A sitting this account works on (repeat for several).")
    var sittings: [Int64] = []
    @Option(help: "bcrypt cost (work factor) of the password hash.")
    var bcryptCost: UInt8 = 12

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("Give the password on standard input, e.g. `read -s P; echo \"$P\" | hemicycle staff add …`.")
        }
        let store = try await CommandStore.open(dataDir: dataDir)
        do {
            let member = try await StaffAccounts.add(
                store: store, email: email, name: name, role: role, sittings: sittings, password: line, bcryptCost: bcryptCost
            )
            try await store.close()
            FileHandle.standardOutput.write(Data("Created staff account \(member.id): \(member.email) (\(member.role.rawValue)).\n".utf8))
        } catch let refusal as StaffAccounts.Refusal {
            try? await store.close()
            throw ValidationError(refusal.description)
        } catch {
            try? await store.close()
            throw error
        }
    }
}
