import HemicycleCore
import Testing

@Suite struct XMLReaderTests {
    func parse(_ text: String, limits: BillImportLimits = BillImportLimits()) throws(BillImportError) -> XMLReader.Element {
        try XMLReader.parse(Array(text.utf8), limits: limits)
    }

    func failure(_ text: String, limits: BillImportLimits = BillImportLimits()) -> BillImportError? {
        do {
            _ = try parse(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsElementsAttributesTextAndReferences() throws {
        let root = try parse(
            """
            <?xml version="1.0" encoding="utf-8"?>
            <!-- a comment -->
            <?some-pi data?>
            <a x="1" y='two &amp; &#51;&#x34;'>
              Hello &lt;world&gt; &quot;q&quot; &apos;s&apos;<b>bold</b><![CDATA[<not a tag> & ]]>
              <c/>
            </a>
            """)
        #expect(root.name == "a")
        #expect(root.attribute("x") == "1")
        #expect(root.attribute("y") == "two & 34")
        #expect(root.line == 4)
        #expect(root.column == 1)
        #expect(root.elements.map(\.name) == ["b", "c"])
        guard case .text(let text, let line, _) = root.children[0] else {
            Issue.record("text first")
            return
        }
        #expect(text.contains("Hello <world> \"q\" 's'"))
        #expect(line == 4)
        guard case .text(let cdata, _, _) = root.children[2] else {
            Issue.record("CDATA after <b>")
            return
        }
        #expect(cdata.hasPrefix("<not a tag> & "))
    }

    @Test func resolvesNamespaces() throws {
        let root = try parse(#"<akn:a xmlns:akn="urn:x" xmlns="urn:default"><b/><akn:c xml:lang="en"/></akn:a>"#)
        #expect(root.name == "a")
        #expect(root.namespace == "urn:x")
        #expect(root.elements.map(\.namespace) == ["urn:default", "urn:x"])
        #expect(root.elements[1].attribute("xml:lang") == "en")
        #expect(root.attributes.isEmpty, "namespace declarations are not attributes")
        #expect(failure("<p:a/>")?.code == .malformedXML, "an undeclared prefix")
    }

    @Test func refusesDTDsSoNoExternalOrExpandingEntities() {
        let xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE bill [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <bill>&xxe;</bill>
            """
        #expect(failure(xxe) == BillImportError(.forbiddenXML, line: 2, column: 1, "A DOCTYPE is not accepted: bills are read without DTDs or entity definitions."))
        let laughs = """
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
            <lolz>&lol2;</lolz>
            """
        #expect(failure(laughs)?.code == .forbiddenXML)
        let undeclared = failure("<bill>\n  text &nbsp; more</bill>")
        #expect(undeclared?.code == .forbiddenXML)
        #expect(undeclared?.line == 2)
        #expect(undeclared?.column == 8)
        #expect(failure("<a><!DOCTYPE x></a>")?.code == .forbiddenXML, "not inside an element either")
        #expect(failure("<a><!ENTITY x 'y'></a>")?.code == .forbiddenXML)
    }

    @Test(arguments: [
        ("<a>", "never closed"),
        ("<a></b>", "closes"),
        ("<a><b></a></b>", "closes"),
        ("<a x=1/>", "quotes"),
        ("<a x='1' x='2'/>", "repeated"),
        ("<a x='<'/>", "not allowed"),
        ("<a/><b/>", "Only one root"),
        ("text<a/>", "before the root"),
        ("<a>&#0;</a>", "not a character"),
        ("<a>&#xD800;</a>", "not a character"),
        ("<a>&amp</a>", "reference"),
        ("<a>]]></a>", "']]>'"),
        ("<a><!-- a -- b --></a>", "'--'"),
        ("<a>&lt;</a> <?xml version='1.0'?>", "must come first"),
        ("<a x='1'y='2'/>", "A space is needed"),
        ("", "no root"),
    ])
    func refusesMalformedXMLWithAPlace(text: String, fragment: String) {
        let error = failure(text)
        #expect(error != nil)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        #expect((error?.line ?? 0) >= 0)
    }

    @Test func reportsLinesAndColumns() {
        let error = failure("<a>\n  <b>\n    <c></d>\n  </b>\n</a>")
        #expect(error?.line == 3)
        #expect(error?.column == 8)
        #expect(error?.description == "line 3, column 8: </d> closes <c> (line 3).")
    }

    @Test func boundsDepthSizeAndAttributes() {
        var limits = BillImportLimits()
        limits.maxXMLDepth = 10
        let deep = String(repeating: "<a>", count: 11) + String(repeating: "</a>", count: 11)
        #expect(failure(deep, limits: limits)?.code == .tooLarge)
        let fits = String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10)
        #expect(failure(fits, limits: limits) == nil)
        limits.maxBytes = 20
        #expect(failure("<a>" + String(repeating: "x", count: 30) + "</a>", limits: limits)?.code == .tooLarge)
        var few = BillImportLimits()
        few.maxAttributes = 2
        #expect(failure("<a x='1' y='2' z='3'/>", limits: few)?.code == .tooLarge)
        few.maxNameLength = 4
        #expect(failure("<abcdef/>", limits: few)?.code == .tooLarge)
    }

    @Test func acceptsOnlyUTF8() {
        #expect(failure(#"<?xml version="1.0" encoding="ISO-8859-1"?><a/>"#)?.code == .encoding)
        let latin1: [UInt8] = Array("<a>caf".utf8) + [0xE9] + Array("</a>".utf8)
        #expect(throws: BillImportError.self) { try XMLReader.parse(latin1) }
        do {
            _ = try XMLReader.parse(latin1)
        } catch {
            #expect(error.code == .encoding)
            #expect(error.line == 1)
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<a/>".utf8)
        #expect((try? XMLReader.parse(bom))?.name == "a")
        #expect(failure("<a>\u{0001}</a>")?.code == .encoding, "control characters")
        #expect((try? parse("<a>\r\n</a>")).map { $0.children } == [.text("\n", line: 1, column: 4)], "CRLF becomes LF")
    }

    @Test func neverCrashesOnRandomInput() {
        var random = SeededGenerator(seed: 0x4B1D)
        let alphabet = Array("<>/=\"'&;#x![]-?aAbp: \n\t0123456789CDATA".unicodeScalars)
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<80, using: &random)
            var view = String.UnicodeScalarView()
            for _ in 0..<length { view.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)]) }
            let text = String(view)
            do {
                let root = try parse(text)
                #expect(!root.name.isEmpty)
            } catch {
                #expect(error.line >= 0 && !error.message.isEmpty)
            }
        }
    }
}
