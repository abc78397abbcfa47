import HTTPTypes
import HemicycleCore
import HemicycleStorage
import Hummingbird
import NIOCore

/// The parliament's presence where people are: Atom feeds (new petitions, thresholds reached, government responses,
/// upcoming sittings) and the embeddable live count (`/embed/petitions/{id}`, meant for an iframe).
struct OutreachController: Sendable {
    typealias Context = HemicycleRequestContext
    let store: any HemicycleStore
    let hearings: HearingService
    let pages: PageRenderer
    /// Links start with `site.base`, never with the request's `Host`.
    let site: SiteAddress

    /// The feeds, for `<link rel="alternate">` on the pages they belong to.
    static let feeds: [(path: String, title: String)] = [
        ("/feeds/petitions.atom", "New petitions"), ("/feeds/thresholds.atom", "Petitions reaching a threshold"),
        ("/feeds/responses.atom", "Government responses"), ("/feeds/sittings.atom", "Upcoming sittings"),
    ]

    /// `feeds` context entries for a page (`[{href, title}]`).
    static func feedLinks(_ paths: [String]) -> [[String: String]] {
        feeds.filter { paths.contains($0.path) }.map { ["href": $0.path, "title": $0.title] }
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/feeds/petitions.atom") { request, _ in try await feed(request, "/feeds/petitions.atom", entries: newPetitions(base)) }
        router.get("/feeds/thresholds.atom") { request, _ in try await feed(request, "/feeds/thresholds.atom", entries: thresholds(base)) }
        router.get("/feeds/responses.atom") { request, _ in try await feed(request, "/feeds/responses.atom", entries: responses(base)) }
        router.get("/feeds/sittings.atom") { request, _ in try await feed(request, "/feeds/sittings.atom", entries: sittings(base)) }
        router.get("/embed/petitions/:id", use: embed)
    }

    private var base: String { site.base }

    private func feed(_ request: Request, _ path: String, entries: [AtomFeed.Entry]) async throws -> Response {
        let base = self.base
        let title = Self.feeds.first { $0.path == path }?.title ?? "Hemicycle"
        let document = AtomFeed(
            id: base + path, title: title, link: base + "/", updated: entries.map(\.updated).max() ?? Timestamp(millisecondsSince1970: 0),
            entries: Array(entries.prefix(50))
        )
        return Response(
            status: .ok, headers: [.contentType: "application/atom+xml; charset=utf-8", .cacheControl: "public, max-age=60", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(string: document.xml))
        )
    }

    private func publicPetitions() async throws -> [Petition] {
        try await store.petitions().filter { PetitionJSON.publicState($0.state) != nil }
    }

    func newPetitions(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions().filter { $0.openedAt != nil }.sorted { ($0.openedAt ?? $0.createdAt) > ($1.openedAt ?? $1.createdAt) }.map { p in
            AtomFeed.Entry(id: "\(base)/petitions/\(p.id)", title: p.action, link: "\(base)/petitions/\(p.id)", updated: p.openedAt ?? p.createdAt, summary: p.background)
        }
    }

    func thresholds(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions().flatMap { p in
            p.thresholds.compactMap { t -> AtomFeed.Entry? in
                guard let at = t.reachedAt else { return nil }
                let what = t.name == "response" ? "a government response" : t.name == "debate" ? "a debate in Parliament" : t.name
                return AtomFeed.Entry(
                    id: "\(base)/petitions/\(p.id)#\(t.name)", title: "\(p.action): \(t.signatures) signatures", link: "\(base)/petitions/\(p.id)",
                    updated: at, summary: "The petition reached \(t.signatures) signatures and will be considered for \(what)."
                )
            }
        }.sorted { $0.updated > $1.updated }
    }

    func responses(_ base: String) async throws -> [AtomFeed.Entry] {
        try await publicPetitions().compactMap { p -> AtomFeed.Entry? in
            guard let r = p.governmentResponse else { return nil }
            return AtomFeed.Entry(
                id: "\(base)/petitions/\(p.id)#government-response", title: "Government response: \(p.action)", link: "\(base)/petitions/\(p.id)",
                updated: r.updatedAt, summary: r.summary
            )
        }.sorted { $0.updated > $1.updated }
    }

    func sittings(_ base: String) async throws -> [AtomFeed.Entry] {
        await hearings.allRooms().filter { $0.sitting.state != .ended }.map { room in
            let s = room.sitting
            return AtomFeed.Entry(
                id: "\(base)/sittings/\(s.id)", title: s.title, link: "\(base)/sittings/\(s.id)", updated: s.scheduledStart,
                summary: "\(s.committee), \(SittingPageContext.humanTime(s.scheduledStart)). Watch live and put your questions to the witnesses."
            )
        }
    }

    /// A small page for an iframe: the petition's live count and a link to sign.
    @Sendable func embed(_ request: Request, context: Context) async throws -> Response {
        guard let id = Petition.ID(parsing: Substring(context.parameters.get("id") ?? "")), let petition = try await store.petition(id),
            PetitionJSON.publicState(petition.state) != nil
        else { throw APIError.notFound("This petition") }
        var page = PetitionPage.context(petition, url: "\(base)/petitions/\(petition.id)")
        page["petition_url"] = "\(base)/petitions/\(petition.id)"
        return .html(pages.render("embed-petition", page))
    }
}
