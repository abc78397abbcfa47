/// A coded reason for rejecting a question, with the text the public sees in the moderation log and the asker sees
/// on their question. A parliament configures its own list; `standard` is the default.
public struct RejectionReason: Sendable, Equatable {
    public let code: String
    /// Public text per language code (`en`, `fr`, …).
    public let text: [String: String]

    public init(code: String, text: [String: String]) {
        self.code = code
        self.text = text
    }

    /// The text in `language`, else in English, else the code.
    public func text(in language: String) -> String { text[language] ?? text["en"] ?? code }

    public static let standard: [RejectionReason] = [
        .init(code: "off_topic", text: ["en": "Not about the subject of this sitting.", "fr": "Hors du sujet de cette séance."]),
        .init(code: "duplicate", text: ["en": "The same question has already been asked.", "fr": "La même question a déjà été posée."]),
        .init(code: "offensive", text: ["en": "Offensive or abusive language.", "fr": "Propos injurieux ou offensants."]),
        .init(code: "personal_data", text: ["en": "Contains personal data about someone.", "fr": "Contient des données personnelles sur une personne."]),
        .init(code: "advertising", text: ["en": "Advertising or spam.", "fr": "Publicité ou spam."]),
        .init(code: "not_a_question", text: ["en": "Not a question for the witnesses.", "fr": "Pas une question pour les personnes auditionnées."]),
        .init(code: "sub_judice", text: ["en": "About a case before the courts.", "fr": "Concerne une affaire en cours devant la justice."]),
    ]
}
