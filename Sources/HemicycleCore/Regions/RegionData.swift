/// A parliament's regions, constituencies, postcode table and countries, as `hemicycle regions import` reads them
/// from CSV files (Protocol/PETITIONS.md, "Regions"). Validated as a whole before anything is stored.
public struct RegionData: Sendable, Equatable {
    public var regions: [NamedArea]
    public var constituencies: [Constituency]
    /// Postcode key (`ValidSignature.postcodeKey(_:)`) to constituency code.
    public var postcodes: [(postcode: String, constituency: String)]
    public var countries: [NamedArea]

    public init(regions: [NamedArea] = [], constituencies: [Constituency] = [], postcodes: [(String, String)] = [], countries: [NamedArea] = []) {
        self.regions = regions
        self.constituencies = constituencies
        self.postcodes = postcodes.map { (postcode: $0.0, constituency: $0.1) }
        self.countries = countries
    }

    public static func == (lhs: RegionData, rhs: RegionData) -> Bool {
        lhs.regions == rhs.regions && lhs.constituencies == rhs.constituencies && lhs.countries == rhs.countries
            && lhs.postcodes.map(\.postcode) == rhs.postcodes.map(\.postcode) && lhs.postcodes.map(\.constituency) == rhs.postcodes.map(\.constituency)
    }

    /// Parses and checks the four files' texts. Headers (first row) are required and named: regions `code,name`;
    /// constituencies `code,name,region,member` (`region` is a region's code); postcodes `postcode,constituency`;
    /// countries `code,name` (two-letter codes). Every code must be unique, every reference must exist, no field may
    /// be empty (but `member`), and no text may hold `<`, `>` or control characters. Any problem refuses the import.
    public static func parse(regions: String, constituencies: String, postcodes: String, countries: String) throws(RegionImportError) -> RegionData {
        var data = RegionData()
        var lines: [Int] = []
        for row in try table(regions, file: "regions", header: ["code", "name"]) {
            data.regions.append(NamedArea(code: row.fields[0], name: row.fields[1]))
            lines.append(row.line)
        }
        try unique(data.regions.map(\.code), file: "regions", lines: lines)
        lines = []
        let regionCodes = Set(data.regions.map(\.code))
        for row in try table(constituencies, file: "constituencies", header: ["code", "name", "region", "member"], optional: [3]) {
            guard regionCodes.contains(row.fields[2]) else {
                throw RegionImportError(file: "constituencies", line: row.line, message: "region \"\(row.fields[2])\" is not in the regions file")
            }
            data.constituencies.append(Constituency(code: row.fields[0], name: row.fields[1], regionCode: row.fields[2], member: row.fields[3]))
            lines.append(row.line)
        }
        try unique(data.constituencies.map(\.code), file: "constituencies", lines: lines)
        let constituencyCodes = Set(data.constituencies.map(\.code))
        var seen: [String: Int] = [:]
        for row in try table(postcodes, file: "postcodes", header: ["postcode", "constituency"]) {
            let key = ValidSignature.postcodeKey(row.fields[0])
            guard key.count >= 2, key.count <= 10, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw RegionImportError(file: "postcodes", line: row.line, message: "\"\(row.fields[0])\" is not a postcode (2 to 10 letters and digits)")
            }
            guard constituencyCodes.contains(row.fields[1]) else {
                throw RegionImportError(file: "postcodes", line: row.line, message: "constituency \"\(row.fields[1])\" is not in the constituencies file")
            }
            if let first = seen[key] {
                throw RegionImportError(file: "postcodes", line: row.line, message: "postcode \(row.fields[0]) is also on line \(first)")
            }
            seen[key] = row.line
            data.postcodes.append((key, row.fields[1]))
        }
        lines = []
        for row in try table(countries, file: "countries", header: ["code", "name"]) {
            let code = row.fields[0].uppercased()
            guard code.count == 2, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw RegionImportError(file: "countries", line: row.line, message: "\"\(row.fields[0])\" is not a two-letter country code")
            }
            data.countries.append(NamedArea(code: code, name: row.fields[1]))
            lines.append(row.line)
        }
        try unique(data.countries.map(\.code), file: "countries", lines: lines)
        return data
    }

    /// The data rows of a CSV text whose first row is `header`, each with exactly that many trimmed, non-empty fields
    /// (but the `optional` columns).
    private static func table(_ text: String, file: String, header: [String], optional: Set<Int> = []) throws(RegionImportError) -> [CSVReader.Row] {
        let rows = try CSVReader.rows(text, file: file)
        guard let first = rows.first else { throw RegionImportError(file: file, line: 0, message: "the file is empty; its first line must be \(header.joined(separator: ","))") }
        let names = first.fields.map { $0.trimmingSpaces.lowercased() }
        guard names == header else {
            throw RegionImportError(file: file, line: first.line, message: "the header must be \(header.joined(separator: ",")) (found \(first.fields.joined(separator: ",")))")
        }
        var result: [CSVReader.Row] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.count else {
                throw RegionImportError(file: file, line: row.line, message: "expected \(header.count) fields, found \(row.fields.count)")
            }
            let fields = row.fields.map(\.trimmingSpaces)
            for (index, value) in fields.enumerated() {
                if value.isEmpty, !optional.contains(index) {
                    throw RegionImportError(file: file, line: row.line, message: "\(header[index]) is empty")
                }
                if value.count > 200 || value.unicodeScalars.contains(where: { $0 == "<" || $0 == ">" || $0.properties.generalCategory == .control }) {
                    throw RegionImportError(file: file, line: row.line, message: "\(header[index]) must be at most 200 characters without <, > or control characters")
                }
            }
            result.append(CSVReader.Row(line: row.line, fields: fields))
        }
        return result
    }

    private static func unique(_ codes: [String], file: String, lines: [Int]) throws(RegionImportError) {
        var seen = Set<String>()
        for (index, code) in codes.enumerated() where !seen.insert(code).inserted {
            throw RegionImportError(file: file, line: index < lines.count ? lines[index] : 0, message: "the code \"\(code)\" appears twice")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
