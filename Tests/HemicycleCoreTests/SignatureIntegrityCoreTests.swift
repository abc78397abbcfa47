import HemicycleCore
import Testing

/// Address ranges, signature filters, the CSV reader and the regions import's checks.
@Suite struct SignatureIntegrityCoreTests {
    @Test func addressRangesMatchIPv4AndIPv6() throws {
        let v4 = try #require(IPAddressRange("203.0.113.0/24"))
        #expect(v4.contains("203.0.113.7") && v4.contains("203.0.113.255"))
        #expect(!v4.contains("203.0.114.1") && !v4.contains("2001:db8::1") && !v4.contains("not an address"))
        #expect(v4.contains("::ffff:203.0.113.9"), "IPv4-mapped IPv6 addresses compare as IPv4")
        let odd = try #require(IPAddressRange("10.0.0.0/15"))
        #expect(odd.contains("10.1.255.255") && !odd.contains("10.2.0.0"))
        let v6 = try #require(IPAddressRange("2001:db8::/32"))
        #expect(v6.contains("2001:db8:ffff::1") && !v6.contains("2001:db9::1"))
        let one = try #require(IPAddressRange("127.0.0.1"))
        #expect(one.prefixLength == 32 && one.contains("127.0.0.1") && !one.contains("127.0.0.2"))
        #expect(IPAddressRange("0.0.0.0/0")?.contains("8.8.8.8") == true)
        #expect(IPAddressRange("::1")?.contains("0:0:0:0:0:0:0:1") == true)
        #expect(v4.description == "203.0.113.0/24")
        for bad in ["", "256.1.1.1", "1.2.3", "1.2.3.4/33", "1.2.3.4/-1", "2001:db8::/129", "1::2::3", "a.b.c.d", "1.2.3.4/", "12345::"] {
            #expect(IPAddressRange(bad) == nil, "\(bad) is refused")
        }
    }

    @Test func aFilterNeedsEveryGivenPart() throws {
        let t0 = Timestamp(millisecondsSince1970: 1_000_000)
        var filter = SignatureFilter(petition: .init(1), emailDomain: "example.com", addressRange: IPAddressRange("10.0.0.0/8"), from: t0,
                                     until: t0.adding(days: 1))
        #expect(filter.isNarrowed)
        func matches(_ petition: Int64 = 1, _ email: String = "a@example.com", _ address: String? = "10.1.2.3", _ at: Timestamp? = nil,
                     _ state: SignatureState = .counted) -> Bool {
            filter.matches(petition: .init(petition), email: email, address: address, createdAt: at ?? t0, state: state)
        }
        #expect(matches())
        #expect(!matches(2), "another petition")
        #expect(!matches(1, "a@sub.example.com"), "domains match exactly")
        #expect(!matches(1, "a@example.com", "11.0.0.1") && !matches(1, "a@example.com", nil), "outside the range, or no address")
        #expect(!matches(1, "a@example.com", "10.1.2.3", t0.adding(days: 1)), "until is exclusive")
        #expect(!matches(1, "a@example.com", "10.1.2.3", nil, .invalidated), "states not asked for")
        filter.states = [.held]
        #expect(!matches() && matches(1, "a@example.com", "10.1.2.3", nil, .held))
        #expect(!SignatureFilter().isNarrowed)
        #expect(SignatureFilter.domain(of: "A@Example.COM") == "example.com")
    }

    @Test func theCSVReaderFollowsRFC4180() throws {
        let rows = try CSVReader.rows("\u{FEFF}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"multi\nline\",z\nlast,", file: "t")
        #expect(rows.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["multi\nline", "z"], ["last", ""]])
        #expect(rows.map(\.line) == [1, 2, 4, 6])
        #expect(throws: RegionImportError(file: "t", line: 2, message: "a quoted field is not closed")) {
            try CSVReader.rows("a\n\"open", file: "t")
        }
    }

    static let regions = "code,name\nR1,North\nR2,South\n"
    static let constituencies = "code,name,region,member\nC1,Alpha,R1,Ann Member\nC2,Beta,R2,\n"
    static let postcodes = "postcode,constituency\nAB1 2CD,C1\nef3-4gh,C2\n"
    static let countries = "code,name\ngb,United Kingdom\nFR,France\n"

    @Test func aValidSetIsRead() throws {
        let data = try RegionData.parse(regions: Self.regions, constituencies: Self.constituencies, postcodes: Self.postcodes, countries: Self.countries)
        #expect(data.regions.map(\.code) == ["R1", "R2"])
        #expect(data.constituencies[1] == Constituency(code: "C2", name: "Beta", regionCode: "R2", member: ""))
        #expect(data.postcodes.map(\.postcode) == ["AB12CD", "EF34GH"], "postcodes are keyed without spaces or hyphens, upper-cased")
        #expect(data.countries.map(\.code) == ["GB", "FR"])
    }

    @Test(arguments: [
        ("regions", "name,code\nR1,North\n", 1, "the header must be code,name"),
        ("regions", "code,name\nR1,North\nR1,Again\n", 3, "appears twice"),
        ("regions", "", 0, "the file is empty"),
        ("constituencies", "code,name,region,member\nC1,Alpha,R9,\n", 2, "region \"R9\" is not in the regions file"),
        ("constituencies", "code,name,region,member\nC1,,R1,\n", 2, "name is empty"),
        ("constituencies", "code,name,region,member\nC1,<b>Alpha</b>,R1,\n", 2, "without <, >"),
        ("postcodes", "postcode,constituency\nAB1 2CD,C9\n", 2, "constituency \"C9\" is not in the constituencies file"),
        ("postcodes", "postcode,constituency\nAB1 2CD,C1\nab12cd,C2\n", 3, "also on line 2"),
        ("postcodes", "postcode,constituency\nAB1 2CD\n", 2, "expected 2 fields"),
        ("countries", "code,name\nGBR,United Kingdom\n", 2, "two-letter"),
    ])
    func aBadFileIsRefusedWithItsLine(_ file: String, _ text: String, _ line: Int, _ message: String) {
        var texts = ["regions": Self.regions, "constituencies": Self.constituencies, "postcodes": Self.postcodes, "countries": Self.countries]
        texts[file] = text
        let result = Result { () throws(RegionImportError) in
            try RegionData.parse(regions: texts["regions"]!, constituencies: texts["constituencies"]!, postcodes: texts["postcodes"]!, countries: texts["countries"]!)
        }
        guard case .failure(let error) = result else {
            Issue.record("\(file) should be refused")
            return
        }
        #expect(error.file == file && error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error.message)")
    }
}
