import Metrics

/// The `/live` endpoint's metrics (exported at `/metrics` in Prometheus text).
struct LiveMetrics: Sendable {
    let connections = Meter(label: "hemicycle_connections")
    let framesDirect = Counter(label: "hemicycle_frames_sent_total", dimensions: [("kind", "direct")])
    let collapsed = Counter(label: "hemicycle_conflation_collapsed_total", dimensions: [("where", "connection")])
    let slowConsumerCloses = Counter(label: "hemicycle_slow_consumer_closes_total")
    let abuseCloses = Counter(label: "hemicycle_abuse_closes_total")
    let refusedUpgrades = Counter(label: "hemicycle_refused_upgrades_total")
    /// Staff topics taken from open connections (a logout, an expired session, a role removed).
    let accessRevoked = Counter(label: "hemicycle_live_access_revoked_total")

    func protocolError(_ code: String) {
        Counter(label: "hemicycle_protocol_errors_total", dimensions: [("code", code)]).increment()
    }
}
