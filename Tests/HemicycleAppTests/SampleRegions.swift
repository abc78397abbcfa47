import Foundation
import HemicycleCore

/// The demo's sample regions (Protocol/examples/regions/), for tests that need constituencies.
enum SampleRegions {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples/regions")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
    }

    static func load() throws -> RegionData {
        let texts = (try text("regions"), try text("constituencies"), try text("postcodes"), try text("countries"))
        return try Result { () throws(RegionImportError) in
            try RegionData.parse(regions: texts.0, constituencies: texts.1, postcodes: texts.2, countries: texts.3)
        }.get()
    }
}
