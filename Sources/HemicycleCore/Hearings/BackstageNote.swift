/// A note from a moderator to the chair, about the sitting or one question, with a read mark.
public struct BackstageNote: Sendable, Equatable {
    public typealias ID = HemicycleCore.ID<BackstageNote>

    public var id: ID
    public var sittingID: Sitting.ID
    public var questionID: Question.ID?
    public var text: String
    public var authorID: StaffMember.ID
    public var authorName: String
    public var createdAt: Timestamp
    public var readAt: Timestamp?

    public init(id: ID, sittingID: Sitting.ID, questionID: Question.ID?, text: String, authorID: StaffMember.ID, authorName: String, createdAt: Timestamp, readAt: Timestamp? = nil) {
        self.id = id
        self.sittingID = sittingID
        self.questionID = questionID
        self.text = text
        self.authorID = authorID
        self.authorName = authorName
        self.createdAt = createdAt
        self.readAt = readAt
    }
}
