/// One provision of one version of a bill: a part, chapter, section, subsection, paragraph or point.
///
/// A provision's own text is what it says itself, not what its children say: the content of a leaf, or the
/// introductory words of a provision with children (`intro` in Akoma Ntoso), then its closing words (`wrapUp`) if
/// any. Quotes of comments, text positions and similarity are all measured in `quotableText`, so a passage always
/// lies in exactly one provision.
public struct Provision: Sendable, Equatable {
    public var kind: ProvisionKind
    /// The bare designation: `2`, `b`, `iv`, `2A` (no parentheses, keyword or full stop). See `label`.
    public var num: String
    /// The heading (`Short title`), or nil.
    public var heading: String?
    /// The provision's own words (content or intro): paragraphs separated by `\n`, each NFC-normalised with runs of
    /// white space collapsed to one space. Empty for a provision with only a heading and children.
    public var text: String
    /// Words after the children (Akoma Ntoso `wrapUp`), same form as `text`; empty when there are none.
    public var wrapUp: String
    public var eId: EId
    /// Stable across versions: the `wId`, else carried from the previous version, else the first eId.
    public var key: ProvisionKey
    /// Whether the key was given by the source (`wId`) rather than derived.
    public var keyIsExplicit: Bool
    /// The eId of the enclosing provision, nil at the top of the body.
    public var parent: EId?
    /// 0 at the top of the body.
    public var depth: Int

    public init(
        kind: ProvisionKind, num: String, heading: String? = nil, text: String = "", wrapUp: String = "", eId: EId,
        key: ProvisionKey? = nil, keyIsExplicit: Bool = false, parent: EId? = nil, depth: Int = 0
    ) {
        self.kind = kind
        self.num = num
        self.heading = heading
        self.text = text
        self.wrapUp = wrapUp
        self.eId = eId
        self.key = key ?? ProvisionKey(eId)
        self.keyIsExplicit = keyIsExplicit
        self.parent = parent
        self.depth = depth
    }

    /// `Section 2`, `(b)`.
    public var label: String { kind.label(num) }

    /// The flat text comments quote and positions count in: `text`, then `wrapUp` after a `\n` when there is one.
    public var quotableText: String {
        wrapUp.isEmpty ? text : text.isEmpty ? wrapUp : text + "\n" + wrapUp
    }
}
