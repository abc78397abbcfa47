import Testing

/// The HTTP-edge suites that keep the CPU busy run one test at a time: each starts a server and makes real connections
/// (bursts of requests, logins), and the whole test target shares two cores, where other suites' timing-sensitive
/// tests (heartbeats, rate limits, shutdown) must not be starved by a dozen of these at once. (`EdgeLimitsTests`
/// mostly waits for deadlines, so it runs alongside.)
@Suite(.serialized) enum EdgeSuites {}
