import HemicycleCore

/// How a parliament runs its petitions (Protocol/PETITIONS.md). Defaults are the UK site's.
public struct PetitionSettings: Sendable {
    /// Sets the per-address signing limits from `N/SECONDS` texts; returns the ones that are malformed.
    public mutating func setSignRateLimits(_ texts: [String]) -> [String] {
        signRateLimits = texts.compactMap(SignatureRateLimits.Limit.init)
        return texts.filter { SignatureRateLimits.Limit($0) == nil }
    }

    public var limits = PetitionDraft.Limits()
    /// Supporters (besides the creator) a petition needs before moderation.
    public var supportersRequired = 5
    /// Days a petition stays open.
    public var openDays = 182
    /// Days after a petition ends (closed, rejected, hidden or abandoned) before its signers', creator's and
    /// supporters' personal data is erased.
    public var anonymiseAfterDays = 182
    /// Days after creation before a petition whose creator has not confirmed, or that has not gathered its
    /// supporters, is abandoned (and its people anonymised `anonymiseAfterDays` later).
    public var abandonAfterDays = 30
    /// Days an emailed confirmation link stays valid.
    public var tokenDays = 7
    /// A statement signers must confirm (`"eligible": true`), e.g. "I am a British citizen or UK resident"; nil: none.
    public var eligibilityStatement: String?
    /// Per-address signing limits (`--sign-rate-limit N/SECONDS`); signatures over one are held for review. None by
    /// default; the UK site's values, a starting point, are 1/60 and 5/300 (README, "In production").
    var signRateLimits: [SignatureRateLimits.Limit] = []
    /// Petitions one client address (IPv6: its /64) may start (`--petition-create-limit`, repeatable; default ten a
    /// day). Over it: 429 with `Retry-After`, nothing stored, no mail.
    public var createLimitsPerAddress: [PeriodLimit] = PeriodLimit(count: 10, seconds: 86_400).map { [$0] } ?? []
    /// Petitions one creator email may start (`--petition-create-email-limit`, repeatable; default three a day).
    public var createLimitsPerEmail: [PeriodLimit] = PeriodLimit(count: 3, seconds: 86_400).map { [$0] } ?? []
    /// The country of signers who give none (two letters), for `signatures_by_country`.
    public var homeCountry: String? = "GB"
    /// Coded rejection reasons and their public texts.
    public var rejectionReasons: [RejectionReason] = PetitionSettings.standardRejections

    public init() {}

    public static let standardRejections: [RejectionReason] = [
        .init(code: "duplicate", text: ["en": "There's already a petition about this issue.", "fr": "Une pétition existe déjà sur ce sujet."]),
        .init(code: "irrelevant", text: ["en": "It's about something that the Government or Parliament is not directly responsible for.", "fr": "Le sujet ne relève pas directement du Gouvernement ou du Parlement."]),
        .init(code: "no-action", text: ["en": "It did not say what action it wants the Government or Parliament to take.", "fr": "Elle ne dit pas quelle action elle demande au Gouvernement ou au Parlement."]),
        .init(code: "honours", text: ["en": "It's about honours or appointments.", "fr": "Elle porte sur des distinctions ou des nominations."]),
        .init(code: "fake-name", text: ["en": "It did not have the name of a real person as its creator.", "fr": "Son auteur n'est pas désigné par le nom d'une personne réelle."]),
        .init(code: "foi", text: ["en": "It asks for information rather than action: make a freedom of information request instead.", "fr": "Elle demande une information plutôt qu'une action : faites une demande d'accès aux documents."]),
        .init(code: "offensive", text: ["en": "It included language that was offensive or abusive.", "fr": "Elle contient des propos offensants ou injurieux."]),
        .init(code: "libellous", text: ["en": "It included potentially libellous, false or defamatory statements.", "fr": "Elle contient des affirmations potentiellement diffamatoires ou fausses."]),
        .init(code: "advertising", text: ["en": "It advertised a product or service.", "fr": "Elle fait la publicité d'un produit ou d'un service."]),
        .init(code: "not-government", text: ["en": "It's about something that isn't the responsibility of the Government or Parliament.", "fr": "Le sujet n'est pas de la responsabilité du Gouvernement ou du Parlement."]),
    ]
}
