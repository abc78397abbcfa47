import HemicycleCore
import HemicycleStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// Actions are serialised per sitting: one sitting's actions are decided one at a time, other sittings' go on while
/// one sitting waits for a slow store write. (Same-sitting races: `HearingGuardTests.concurrentModeratorsGetOneWinnerAndAClearConflict`.)
@Suite struct HearingSerialisationTests {
    /// Holds the store writes of one sitting until it is opened, and counts how many wait at once.
    actor Valve {
        let sitting: Sitting.ID
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private(set) var mostWaiting = 0
        var waiting: Int { waiters.count }

        init(sitting: Sitting.ID) { self.sitting = sitting }

        func pass(_ sitting: Sitting.ID) async {
            guard sitting == self.sitting, !open else { return }
            await withCheckedContinuation { continuation in
                waiters.append(continuation)
                mostWaiting = max(mostWaiting, waiters.count)
            }
        }

        func release() {
            open = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    /// Polls other tasks' progress (never time passing); false after 10 s.
    func eventually(_ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    @Test func anotherSittingProgressesWhileOneWaitsForASlowWrite() async throws {
        let (app, store) = try await HearingFixture.make()
        let valve = Valve(sitting: .init(1))
        await store.pauseHearingWrites { sitting in await valve.pass(sitting) }
        try await app.test(.router) { client in
            let first = try await Browser.participant(client), second = try await Browser.participant(client)
            let other = try await Browser.participant(client, sitting: 2)
            let blocked = Task { try await first.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Held up?"}"#).status }
            #expect(try await eventually { await valve.waiting == 1 }, "the first question of sitting 1 reaches the store and waits")
            let queued = Task { try await second.send(client, .post, "/api/v1/sittings/1/questions", json: #"{"text":"Behind it?"}"#).status }

            let response = try await other.send(client, .post, "/api/v1/sittings/2/questions", json: #"{"text":"Meanwhile?"}"#)
            #expect(response.status == .created, "sitting 2 is not held up by sitting 1's write")
            #expect(try await store.questions(in: .init(2)).count == 1)
            #expect(await valve.waiting == 1, "the second question of sitting 1 waits for the first, outside the store")
            #expect(try await store.questions(in: .init(1)).isEmpty)

            await valve.release()
            #expect(try await blocked.value == .created)
            #expect(try await queued.value == .created)
        }
        #expect(await valve.mostWaiting == 1, "one write of sitting 1 at a time")
        #expect(try await store.questions(in: .init(1)).map(\.text).sorted() == ["Behind it?", "Held up?"])
    }
}
