/// What an importer makes of a file: the bill's text, before it becomes a version.
///
/// Both importers (`AkomaNtosoImporter`, `PlainTextBillImporter`) give equal documents for the same bill.
public struct BillDocument: Sendable, Equatable {
    /// The short title (`docTitle` in Akoma Ntoso, `Title:` in plain text), or nil.
    public var title: String?
    /// The long title (`longTitle`, `Long title:`), or nil.
    public var longTitle: String?
    /// The words before the body, such as the enacting formula; paragraphs separated by `\n`. Empty if none.
    public var preamble: String
    public var provisions: ProvisionTree

    public init(title: String? = nil, longTitle: String? = nil, preamble: String = "", provisions: ProvisionTree) {
        self.title = title
        self.longTitle = longTitle
        self.preamble = preamble
        self.provisions = provisions
    }
}
