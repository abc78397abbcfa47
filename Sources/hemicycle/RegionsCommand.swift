import ArgumentParser
import Foundation
import HemicycleCore
import HemicycleSQLite
import HemicycleStorage
import Logging

/// `hemicycle regions import`: loads the parliament's regions, constituencies, postcode table and countries from CSV
/// files (formats: Protocol/PETITIONS.md, "Regions"; a sample set: Protocol/examples/regions/).
struct RegionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions", abstract: "Manage regions, constituencies and postcodes.", subcommands: [RegionsImport.self]
    )
}

struct RegionsImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Replace the regions, constituencies, postcode table and countries with the given CSV files, all checked first.",
        discussion: """
            Reads regions.csv (code,name), constituencies.csv (code,name,region,member), postcodes.csv (postcode,constituency) \
            and countries.csv (code,name) from --from, or each from its own option. Nothing changes unless every file is valid. \
            Stored signatures are mapped to the new constituencies and the per-area counts are rebuilt. A running server \
            shows the new names within 30 seconds.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "A folder holding regions.csv, constituencies.csv, postcodes.csv and countries.csv.")
    var from: String?
    @Option(help: "The regions file (code,name).")
    var regions: String?
    @Option(help: "The constituencies file (code,name,region,member).")
    var constituencies: String?
    @Option(help: "The postcode table (postcode,constituency).")
    var postcodes: String?
    @Option(help: "The countries file (code,name).")
    var countries: String?

    func run() async throws {
        func path(_ given: String?, _ name: String) throws -> String {
            if let given { return given }
            guard let from else { throw ValidationError("Give --from DIR, or --\(name) FILE.") }
            return (from as NSString).appendingPathComponent("\(name).csv")
        }
        let data = try RegionFiles.load(
            regions: try path(regions, "regions"), constituencies: try path(constituencies, "constituencies"),
            postcodes: try path(postcodes, "postcodes"), countries: try path(countries, "countries")
        )
        let store = try await CommandStore.open(database)
        do {
            FileHandle.standardOutput.write(Data(
                "Checked: \(data.regions.count) regions, \(data.constituencies.count) constituencies, \(data.postcodes.count) postcodes, \(data.countries.count) countries. Importing…\n".utf8))
            let mapped = try await store.importRegions(data)
            try await store.close()
            FileHandle.standardOutput.write(Data("Imported. \(mapped) stored signatures have a constituency; per-area counts rebuilt.\n".utf8))
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// Reads and checks the four region files.
enum RegionFiles {
    static func load(regions: String, constituencies: String, postcodes: String, countries: String) throws -> RegionData {
        func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(path).") }
            guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(path) is not UTF-8 text.") }
            return text
        }
        let texts = (try read(regions), try read(constituencies), try read(postcodes), try read(countries))
        let result = Result { () throws(RegionImportError) in
            try RegionData.parse(regions: texts.0, constituencies: texts.1, postcodes: texts.2, countries: texts.3)
        }
        switch result {
        case .success(let data): return data
        case .failure(let error): throw ValidationError("Nothing was imported: \(error.description).")
        }
    }
}
