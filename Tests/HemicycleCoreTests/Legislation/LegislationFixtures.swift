import Foundation
import HemicycleCore

/// Shared inputs of the legislation tests: the sample bill of Protocol/examples/legislation and small builders.
enum LegislationFixtures {
    static let folder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/examples/legislation")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func sampleText() throws -> BillDocument { try PlainTextBillImporter.read(bytes("sample-bill.txt")) }
    static func sampleXML() throws -> BillDocument { try AkomaNtosoImporter.read(bytes("sample-bill.akn.xml")) }
    static func sampleV2() throws -> BillDocument { try PlainTextBillImporter.read(bytes("sample-bill-v2.txt")) }

    static func eId(_ text: String) -> EId {
        EId(text) ?? EId(parent: nil, kind: .section, component: "invalid")
    }

    static func key(_ text: String) -> ProvisionKey {
        ProvisionKey(text) ?? ProvisionKey(eId(text))
    }

    static func tree(_ text: String) throws -> ProvisionTree {
        try PlainTextBillImporter.read(text).provisions
    }

    static let t0 = Timestamp(millisecondsSince1970: 1_780_000_000_000)

    static func at(_ seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSince1970: t0.millisecondsSince1970 + seconds * 1000)
    }

    /// A published version 1 of `document`, open for a day from `t0`.
    static func published(_ document: BillDocument, number: Int = 1) throws -> BillVersion {
        guard let window = CommentWindow(opens: t0, closes: t0.adding(days: 1)) else { throw FixtureError() }
        var version = BillVersion(billID: Bill.ID(1), number: number, document: document, window: window)
        try version.publish(at: t0)
        return version
    }

    struct FixtureError: Error {}
}
