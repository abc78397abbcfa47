import Foundation
import HemicycleCore

extension PetitionPage {
    /// What `petition.mustache` and the thank-you pages add in the page's language: the state's word, who created the
    /// petition and when it closes ("Closes on …" / "Closed on …", in the parliament's time zone), the thresholds'
    /// sentences, the share links (built here, every value percent-encoded: `ShareLinks`) and the countries the sign
    /// form's `<datalist>` offers.
    static func localize(
        _ context: inout [String: Any], _ p: Petition, language: String, localization: Localization, url: String, countries: [String] = []
    ) {
        let times = localization.times
        func text(_ key: String, _ values: [String: String] = [:]) -> String { localization.text(key, language, values) }
        if var petition = context["petition"] as? [String: Any] {
            petition["state_label"] = text("petition_state_\(p.state.rawValue)")
            petition["signature_unit"] = text(p.signatureCount == 1 ? "petition_count_unit_one" : "petition_count_unit_other")
            petition["thresholds"] = p.thresholds.map { t -> [String: Any] in
                let percent = t.signatures > 0 ? min(100, p.signatureCount * 100 / t.signatures) : 100
                return [
                    "name": t.name, "label": t.label, "signatures_text": CountFormat.text(t.signatures),
                    "text": text("petition_threshold_at", ["label": t.label, "n": CountFormat.text(t.signatures)]),
                    "status_text": t.reachedAt != nil ? text("threshold_reached") : text("petition_threshold_percent", ["n": "\(percent)"]),
                    "reached": t.reachedAt != nil, "reached_at": t.reachedAt?.iso8601 ?? "", "percent": percent,
                ]
            }
            context["petition"] = petition
        }
        var meta: [[String: Any]] = []
        if let creator = p.creatorName, !creator.isEmpty {
            meta.append(["id": "petition-creator", "text": text("petition_created_by", ["name": creator])])
        }
        if p.state == .closed, let closed = p.closedAt ?? p.closingAt {
            meta.append(["id": "petition-deadline", "text": text("petition_closed_on", ["date": times.date(closed, language)]), "datetime": times.day(closed)])
        } else if p.state.acceptsSignatures, let closing = p.closingAt {
            meta.append(["id": "petition-deadline", "text": text("petition_closes_on", ["date": times.date(closing, language)]), "datetime": times.day(closing)])
        }
        context["meta"] = meta
        context["has_meta"] = !meta.isEmpty
        if let variants = context["embed_variants"] as? [[String: Any]] {
            context["embed_variants"] = variants.map { variant -> [String: Any] in
                var variant = variant
                if let id = variant["id"] as? String { variant["label"] = text("petition_embed_variant_\(id)") }
                return variant
            }
        }
        let share = ShareLinks(url: url, text: p.action, emailSubject: text("share_email_subject"))
        context["share"] = [
            "url": url,
            "links": share.links.map { link -> [String: Any] in
                let site = text("share_\(link.id)")
                return ["id": link.id, "href": link.href, "name": site, "label": link.id == "email" ? site : text("share_on", ["site": site])]
            },
        ] as [String: Any]
        if !countries.isEmpty {
            context["countries"] = countries
            context["has_countries"] = true
        }
    }
}
