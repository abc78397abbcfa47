extension RejectionReason {
    /// The default reasons for rejecting a comment on a bill.
    public static let legislation: [RejectionReason] = [
        .init(code: "off_topic", text: ["en": "Not about this bill.", "fr": "Hors du sujet de ce projet de loi."]),
        .init(code: "wrong_provision", text: ["en": "Not about the provision it was written on.", "fr": "Ne concerne pas la disposition commentée."]),
        .init(code: "duplicate", text: ["en": "The same point has already been made.", "fr": "La même remarque a déjà été faite."]),
        .init(code: "offensive", text: ["en": "Offensive or abusive language.", "fr": "Propos injurieux ou offensants."]),
        .init(code: "personal_data", text: ["en": "Contains personal data about someone.", "fr": "Contient des données personnelles sur une personne."]),
        .init(code: "advertising", text: ["en": "Advertising or spam.", "fr": "Publicité ou spam."]),
        .init(code: "sub_judice", text: ["en": "About a case before the courts.", "fr": "Concerne une affaire en cours devant la justice."]),
    ]
}
