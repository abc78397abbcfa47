/// The JSON request bodies of the API: the server's JSON reader (`JSONValue.parse`, what `RequestBody.jsonObject`
/// uses) and the core checks the controllers run on the fields (signatures, petitions, questions, emails, limits).
/// Any body gives a value or an error, never a crash or a hang; what the reader accepts, the writer writes back to
/// the same value.
import HemicycleCore

private func text(_ value: JSONValue?) -> String { value?.stringValue ?? "" }

func fuzzOne(_ bytes: [UInt8]) {
    guard let value = try? JSONValue.parse(bytes) else { return }
    check((try? JSONValue.parse(JSONWriter.bytes(value))) == value, "JSON written again does not read back the same")
    guard case .object = value else { return }
    // POST /api/v1/petitions/{id}/signatures
    let signature = SignatureRequest(name: text(value["name"]), email: text(value["email"]),
                                     postcode: value["postcode"]?.stringValue, country: value["country"]?.stringValue)
    if case .success(let valid) = signature.validated() {
        check(!valid.name.isEmpty, "an empty name was accepted")
    }
    // POST /api/v1/petitions
    _ = PetitionDraft(action: text(value["action"]), background: text(value["background"]),
                      additionalDetails: text(value["additional_details"]), creator: signature).validated()
    // POST /api/v1/sittings/{id}/questions and the moderators' edit
    if case .success(let question) = QuestionText.validate(text(value["text"]), maxLength: 280) {
        check(question.utf8.count <= QuestionText.maxBytes(forLength: 280), "a question over the byte limit was accepted")
        check(!question.contains("<") && !question.contains(">"), "markup was accepted in a question")
    }
    _ = EmailAddress.validate(text(value["email"]))
    // Numbers and ids the controllers read
    _ = value["priority"]?.intValue
    _ = value["into"]?.intValue
    if let limit = value["limit"]?.stringValue { _ = PeriodLimit(limit) }
    if let range = value["address_range"]?.stringValue { _ = IPAddressRange(range) }
    if let topic = value["topic"]?.stringValue { _ = Topic(topic) }
}
