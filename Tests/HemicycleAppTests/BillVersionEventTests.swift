import Foundation
import HemicycleApp
import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// A version published outside the server (`hemicycle bills import --publish`, another node) reaches readers of
/// `bill:{id}` as a `version` event when the server next reads its bills (`--bills-refresh-s`), and only then.
@Suite struct BillVersionEventTests {
    @Test(arguments: TestApp.Backend.allCases)
    func aVersionPublishedByTheCommandLineReachesEveryReader(_ backend: TestApp.Backend) async throws {
        let store = try await HearingFixture.store(backend)
        let (app, _) = try await TestApp.make(backend, store: store) { $0.billRefreshInterval = .milliseconds(200) }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var readers: [TestLiveClient] = []
            for _ in 0..<2 {
                let live = try await TestLiveClient.connect(port: port)
                guard case .welcome = try await live.next() else { throw TestLiveClient.Failure.notUpgraded("no welcome") }
                try await live.sendText(#"{"type":"subscribe","ref":"s","topics":["bill:1"]}"#)
                let snapshot = try await live.next { if case .snapshot = $0 { true } else { false } }
                guard case .snapshot(_, _, _, let data) = snapshot else { return }
                #expect(data["version"]?.intValue == 1)
                readers.append(live)
            }
            // Several refreshes with nothing new: no `version` event (the next one a reader sees is version 2's).
            try await Task.sleep(for: .milliseconds(600))
            try await BillHTTPTests.publishVersion2(store)
            for live in readers {
                let event = try await live.next(timeout: .seconds(20)) { if case .event(_, _, _, "version", _) = $0 { true } else { false } }
                guard case .event(let topic, _, _, _, let data) = event else { return }
                #expect(topic.description == "bill:1")
                #expect(data["version"]?.intValue == 2)
                #expect(data["url"]?.stringValue == "/bills/1")
                #expect(data["changes_url"]?.stringValue == "/bills/1/versions/2/changes")
                #expect(data["published_at"]?.stringValue != nil)
                await live.close()
            }
        }
    }
}
