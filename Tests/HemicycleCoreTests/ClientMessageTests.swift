import HemicycleCore
import Testing

@Suite struct ClientMessageTests {
    func code(_ text: String) -> ProtocolErrorCode? {
        if case .failure(let error) = ClientMessage.decode(Array(text.utf8)) { return error.code }
        return nil
    }

    @Test func subscribeWithResume() throws {
        let message = try ClientMessage.decode(Array(#"{"type":"subscribe","topics":["petition:1","sitting:2"],"ref":"r1","resume":{"petition:1":{"epoch":"e1","offset":41}}}"#.utf8)).get()
        #expect(message == .subscribe(ref: "r1", topics: [.petition(.init(1)), .sitting(.init(2))], resume: [.petition(.init(1)): ResumePosition(epoch: "e1", offset: 41)]))
    }

    @Test(arguments: [
        ("not json", ProtocolErrorCode.malformedJSON),
        ("[1,2]", .malformedJSON),
        (#""text""#, .malformedJSON),
        (#"{"topics":["petition:1"]}"#, .unknownType),
        (#"{"type":"dance"}"#, .unknownType),
        (#"{"type":"subscribe"}"#, .invalidMessage),
        (#"{"type":"subscribe","topics":[]}"#, .invalidMessage),
        (#"{"type":"subscribe","topics":[1]}"#, .invalidMessage),
        (#"{"type":"subscribe","topics":["petition:x"]}"#, .unknownTopic),
        (#"{"type":"subscribe","topics":["petition:0"]}"#, .unknownTopic),
        (#"{"type":"subscribe","topics":["petition:07"]}"#, .unknownTopic),
        (#"{"type":"subscribe","topics":["votes:1"]}"#, .unknownTopic),
        (#"{"type":"subscribe","topics":["petition:1"],"resume":{"petition:2":{"epoch":"e","offset":1}}}"#, .invalidMessage),
        (#"{"type":"subscribe","topics":["petition:1"],"resume":{"petition:1":{"epoch":"e","offset":-1}}}"#, .invalidMessage),
        (#"{"type":"subscribe","topics":["petition:1"],"resume":{"petition:1":{"offset":1}}}"#, .invalidMessage),
        (#"{"type":"ping","ref":7}"#, .invalidMessage),
        (#"{"type":"ping","ref":null}"#, .invalidMessage),
        ("{\"type\":\"ping\",\"ref\":\"\(String(repeating: "r", count: 65))\"}", .invalidMessage),
    ])
    func badInputGetsItsCode(_ input: String, _ expected: ProtocolErrorCode) {
        #expect(code(input) == expected, "\(input)")
    }

    @Test func refIsEchoedInErrorsWhenReadable() {
        if case .failure(let error) = ClientMessage.decode(Array(#"{"type":"nope","ref":"abc"}"#.utf8)) {
            #expect(error.ref == "abc")
        } else {
            Issue.record("expected an error")
        }
    }

    @Test func unsubscribingFromANonTopicIsNotAnError() throws {
        let message = try ClientMessage.decode(Array(#"{"type":"unsubscribe","topics":["petition:07","petition:2","nonsense"]}"#.utf8)).get()
        #expect(message == .unsubscribe(ref: nil, topics: [.petition(.init(2))]))
    }

    @Test func duplicateTopicsCountOnce() throws {
        let message = try ClientMessage.decode(Array(#"{"type":"subscribe","topics":["petition:1","petition:1"]}"#.utf8)).get()
        #expect(message == .subscribe(ref: nil, topics: [.petition(.init(1))], resume: [:]))
    }

    @Test func topicsParseAndPrint() {
        #expect(Topic("petition:12")?.description == "petition:12")
        #expect(Topic("sitting:3:moderation") == .sittingModeration(.init(3)))
        #expect(Topic("sitting:3:moderation")?.isPublic == false)
        #expect(Topic("sitting:3")?.isPublic == true)
        #expect(Topic("petition:") == nil)
        #expect(Topic("petition:1:x") == nil)
        #expect(Topic("petition:99999999999999999999") == nil)
    }
}
