import HemicycleCore

/// The template context of `petition.mustache` (see Protocol/DESIGN-CONTRACT.md, "Templates").
enum PetitionPage {
    struct FormState {
        var values: [String: String] = [:]
        var errors = FieldErrors()
        var flash: String?
    }

    static func context(_ p: Petition, form: FormState = .init()) -> [String: Any] {
        let thresholds: [[String: Any]] = p.thresholds.map { t in
            [
                "name": t.name, "label": t.label, "signatures_text": CountFormat.text(t.signatures),
                "reached": t.reachedAt != nil, "reached_at": t.reachedAt?.iso8601 ?? "",
                "percent": t.signatures > 0 ? min(100, p.signatureCount * 100 / t.signatures) : 100,
            ]
        }
        var context: [String: Any] = [
            "title": p.action,
            "petition": [
                "id": "\(p.id)", "topic": p.topic.description, "action": p.action, "background": p.background,
                "additional_details": p.additionalDetails, "state": p.state.rawValue, "state_label": p.state.label,
                "is_open": p.state.acceptsSignatures, "signature_count": p.signatureCount,
                "signature_count_text": CountFormat.text(p.signatureCount), "thresholds": thresholds,
                "closing_date": p.closingAt?.date ?? "",
            ] as [String: Any],
            "form": [
                "errors": form.errors.entries.map { ["field": $0.field, "message": $0.message] },
                "has_errors": !form.errors.isEmpty,
                "values": ["name": "", "email": "", "postcode": "", "country": ""].merging(form.values) { $1 },
            ] as [String: Any],
        ]
        if let flash = form.flash { context["flash"] = flash }
        return context
    }
}
