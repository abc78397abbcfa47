/// One version of a bill's text, numbered from 1, with its comment window and state (`BillVersionState`).
///
/// A pure state machine: `replace`, `publish`, `supersede` and `setWindow` either apply whole or throw
/// `BillVersionError`, changing nothing.
public struct BillVersion: Sendable, Equatable {
    public let billID: Bill.ID
    /// 1 for the first version, n + 1 for the version that replaces version n.
    public let number: Int
    public private(set) var state: BillVersionState
    public private(set) var window: CommentWindow
    public private(set) var document: BillDocument
    public private(set) var publishedAt: Timestamp?

    /// A draft.
    public init(billID: Bill.ID, number: Int, document: BillDocument, window: CommentWindow) {
        self.billID = billID
        self.number = number
        self.state = .draft
        self.window = window
        self.document = document
    }

    /// Restores a version as stored.
    public init(
        billID: Bill.ID, number: Int, state: BillVersionState, window: CommentWindow, document: BillDocument,
        publishedAt: Timestamp?
    ) {
        self.billID = billID
        self.number = number
        self.state = state
        self.window = window
        self.document = document
        self.publishedAt = publishedAt
    }

    public var provisions: ProvisionTree { document.provisions }

    /// Replaces the text of a draft (the clerk re-imports after the preview).
    public mutating func replace(_ document: BillDocument) throws(BillVersionError) {
        guard state == .draft else { throw .notDraft(state: state) }
        self.document = document
    }

    /// Publishes a draft with at least one provision.
    public mutating func publish(at now: Timestamp) throws(BillVersionError) {
        guard state == .draft else { throw .notDraft(state: state) }
        guard !document.provisions.isEmpty else { throw .empty }
        state = .published
        publishedAt = now
    }

    /// Marks a published version as replaced by the next one.
    public mutating func supersede() throws(BillVersionError) {
        guard state == .published else { throw .notPublished(state: state) }
        state = .superseded
    }

    /// Moves the window (a draft's, or the published version's: a clerk extends a consultation).
    public mutating func setWindow(_ window: CommentWindow) throws(BillVersionError) {
        guard state != .superseded else { throw .notPublished(state: state) }
        self.window = window
    }

    /// Whether a comment may be written at `now`: published and inside the window; else the reason.
    public func checkOpen(at now: Timestamp) throws(BillVersionError) {
        guard state == .published else { throw .notPublished(state: state) }
        guard now >= window.opens else { throw .windowNotOpen(opens: window.opens) }
        guard window.contains(now) else { throw .windowClosed(closes: window.closes) }
    }
}
