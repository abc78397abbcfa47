/// An electoral area: its code (the UK's ONS code, `E14000649`), name, region code and member.
public struct Constituency: Sendable, Equatable {
    public var code: String
    public var name: String
    public var regionCode: String
    public var member: String

    public init(code: String, name: String, regionCode: String, member: String) {
        self.code = code
        self.name = name
        self.regionCode = regionCode
        self.member = member
    }
}
