/// The regions importer (`hemicycle regions import`): the CSV reader and the four files' checks. The input is split
/// at NUL bytes into the regions, constituencies, postcodes and countries files. Any files give data or an error
/// with its file and line, never a crash or a hang; what is accepted holds no empty code and no markup.
import HemicycleCore

func fuzzOne(_ bytes: [UInt8]) {
    let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    let files = parts + Array(repeating: "", count: max(0, 4 - parts.count))
    if let rows = try? CSVReader.rows(files[0], file: "fuzz") {
        for row in rows { check(row.line >= 1, "a row before line 1") }
    }
    do {
        let data = try RegionData.parse(regions: files[0], constituencies: files[1], postcodes: files[2], countries: files[3])
        for area in data.regions + data.countries {
            check(!area.code.isEmpty && !area.name.isEmpty, "an empty code or name was accepted")
            check(!area.name.contains("<") && !area.name.contains(">"), "markup was accepted in a name")
        }
        check(Set(data.regions.map(\.code)).count == data.regions.count, "a region code twice was accepted")
    } catch {
        check(error.line >= 0, "an error without a line")
    }
}
