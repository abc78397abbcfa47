import Foundation
import HTTPTypes
import HemicycleCore
import Hummingbird
import NIOCore

/// The screen's join address and its QR code (`GET /sittings/{id}/qr.svg`).
extension SittingPagesController {
    /// The address the room joins from: the site's own address (`--public-url`, or the listening address; never the
    /// request's `Host`) and `/sittings/{id}`.
    func joinAddress(_ id: Sitting.ID) -> String {
        "\(http.body.site.base)/sittings/\(id)"
    }

    /// The screen's type size for a question (`textSize` in js/screen-page.js): `large` up to 120 characters, `medium`
    /// to 220, then `small`.
    static func textSize(_ text: String) -> String {
        let length = text.unicodeScalars.count
        return length > 220 ? "small" : length > 120 ? "medium" : "large"
    }

    /// The join address as people type it: without `https://` or `http://` and without a trailing slash.
    static func joinText(_ address: String) -> String {
        for scheme in ["https://", "http://"] where address.hasPrefix(scheme) { return String(address.dropFirst(scheme.count)) }
        return address
    }

    /// The screen's texts that take values: `badge_text` ("Live", "Ended at …", "Starts at …", or "Starts on {date} at …" when not today), `ended_text` and
    /// `qr_alt` (both name the join address).
    func screenTexts(_ sitting: Sitting, address: String, language: String) -> [String: String] {
        let text = { (key: String, values: [String: String]) in
            values.reduce(http.localization.text(key, language)) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        // In the parliament's zone and the page's language; the date only when it is not today there ("Starts at
        // 17:26" for a sitting next week would be read as today's).
        let times = http.localization.times, now = http.clock()
        let at = { (today: String, otherDay: String, t: Timestamp) in
            text(times.sameDay(t, now) ? today : otherDay, ["time": times.time(t, language), "date": times.date(t, language)])
        }
        let badge: String
        switch sitting.state {
        case .live: badge = http.localization.text("screen_live", language)
        case .ended: badge = sitting.endedAt.map { at("screen_ended_at", "screen_ended_on", $0) } ?? http.localization.text("sitting_state_ended", language)
        case .scheduled: badge = at("screen_starts_at", "screen_starts_on", sitting.scheduledStart)
        }
        return [
            "badge_text": badge, "ended_text": text("screen_ended_hint", ["address": Self.joinText(address)]),
            "qr_alt": text("screen_qr_alt", ["address": Self.joinText(address)]),
        ]
    }

    /// The QR code of the sitting's join address as SVG (black on white, quiet zone included), for the screen.
    @Sendable func qrCode(_ request: Request, context: Context) async throws -> Response {
        let room = try await http.hearings.sitting(try http.sittingID(context))
        let address = joinAddress(room.sitting.id)
        let code: QRCode
        do {
            code = try QRCode(text: address)
        } catch {  // typed throws: a QRCodeError
            // Only an absurdly long --public-url gets here (more than 213 bytes).
            throw APIError(.unprocessableContent, error.code, "The join address is too long for a QR code (\(address.utf8.count) bytes; at most \(QRCode.maxBytes)).")
        }
        let cache = "public, max-age=300"
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: cache],
            body: .init(byteBuffer: ByteBuffer(string: code.svg(title: address)))
        )
    }
}
