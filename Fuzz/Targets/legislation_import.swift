/// The legislation importers (Protocol/LEGISLATION.md): the plain-text and the Akoma Ntoso readers. The first input
/// byte picks the reader (even: plain text, odd: XML), the rest is the file. Any file gives a bill or an error with
/// its line, never a crash or a hang; a bill read from plain text, written as Akoma Ntoso and read again, is the
/// same bill.
import HemicycleCore

func fuzzOne(_ bytes: [UInt8]) {
    guard let selector = bytes.first else { return }
    let file = bytes.dropFirst()
    if selector & 1 == 0 {
        guard let document = try? PlainTextBillImporter.read(file) else { return }
        let xml = AkomaNtosoWriter.write(document)
        do {
            let again = try AkomaNtosoImporter.read(xml)
            check(again == document, "a bill written as Akoma Ntoso reads back differently")
        } catch {
            check(false, "a bill written as Akoma Ntoso is refused: \(error)")
        }
    } else {
        _ = try? AkomaNtosoImporter.read(file)
    }
}
