import ArgumentParser
import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleSQLite
import HemicycleStorage
import Logging

/// `hemicycle staff …`: staff accounts from the command line.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Manage staff accounts.", subcommands: [StaffAdd.self, StaffUpdate.self]
    )
}

/// `hemicycle staff add --database URL --email E --name N --role R [--sitting ID]...`; the password is read from
/// standard input (one line), so it never appears in the shell history or the process list.
struct StaffAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Create a staff account. Reads its password (at least 12 characters) from standard input."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Email address (the login).")
    var email: String
    @Option(help: "Name shown to other staff.")
    var name: String
    @Option(help: "admin, clerk, moderator, chair or petitions-moderator.")
    var role: String
    @Option(name: .customLong("sitting"), help: "A sitting this account works on (repeat for several).")
    var sittings: [Int64] = []
    @Option(name: .customLong("bill"), help: "A bill this account works on (repeat for several): moderators moderate its comments, clerks and chairs move its marker.")
    var bills: [Int64] = []
    @Option(help: "bcrypt cost (work factor) of the password hash.")
    var bcryptCost: UInt8 = 12

    func run() async throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("Give the password on standard input, e.g. `read -s P; echo \"$P\" | hemicycle staff add …`.")
        }
        let store = try await CommandStore.open(database)
        do {
            let member = try await StaffAccounts.add(
                store: store, email: email, name: name, role: role, sittings: sittings, bills: bills, password: line, bcryptCost: bcryptCost
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

/// `hemicycle staff update --database URL --email E --role R [--sitting ID]...`: a new role and sitting assignments
/// (the sittings given replace the old ones). A running server takes the staff topics the account loses away from its
/// open `/live` connections within `--staff-recheck-s` (30 s by default).
struct StaffUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a staff account's role and the sittings it works on (the sittings given replace the others)."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Email address of the account.")
    var email: String
    @Option(help: "admin, clerk, moderator, chair or petitions-moderator.")
    var role: String
    @Option(name: .customLong("sitting"), help: "A sitting this account works on (repeat for several; none: no sitting).")
    var sittings: [Int64] = []
    @Option(name: .customLong("bill"), help: "A bill this account works on (repeat for several; the bills given replace the others; none: unchanged).")
    var bills: [Int64] = []

    func run() async throws {
        let store = try await CommandStore.open(database)
        do {
            let member = try await StaffAccounts.update(store: store, email: email, role: role, sittings: sittings, bills: bills.isEmpty ? nil : bills)
            try await store.close()
            let assigned = member.sittings.sorted().map { "\($0)" }.joined(separator: ", ")
            FileHandle.standardOutput.write(Data("Staff account \(member.id) (\(member.email)) is now \(member.role.rawValue)\(assigned.isEmpty ? "" : " of sittings \(assigned)").\n".utf8))
        } catch let refusal as StaffAccounts.Refusal {
            try? await store.close()
            throw ValidationError(refusal.description)
        } catch {
            try? await store.close()
            throw error
        }
    }
}
