/// The kinds of provision in the supported Akoma Ntoso subset, from the largest to the smallest.
///
/// Nesting (`canContain`): the body holds parts, chapters and sections; a part holds chapters and sections; a chapter
/// holds sections; a section holds subsections or paragraphs; a subsection holds paragraphs; a paragraph holds points;
/// a point holds points (sub-paragraphs, clauses and sub-clauses of US bills are points within points).
public enum ProvisionKind: String, Sendable, CaseIterable {
    case part
    case chapter
    case section
    case subsection
    case paragraph
    case point

    /// The abbreviation in eIds (Akoma Ntoso naming convention).
    public var abbreviation: String {
        switch self {
        case .part: "part"
        case .chapter: "chp"
        case .section: "sec"
        case .subsection: "subsec"
        case .paragraph: "para"
        case .point: "point"
        }
    }

    /// The Akoma Ntoso element name (the raw value).
    public var elementName: String { rawValue }

    /// Whether a provision of this kind may sit directly in the body (`nil` parent) or in `parent`.
    public static func canNest(_ child: ProvisionKind, in parent: ProvisionKind?) -> Bool {
        switch (parent, child) {
        case (nil, .part), (nil, .chapter), (nil, .section): true
        case (.part?, .chapter), (.part?, .section): true
        case (.chapter?, .section): true
        case (.section?, .subsection), (.section?, .paragraph): true
        case (.subsection?, .paragraph): true
        case (.paragraph?, .point), (.point?, .point): true
        default: false
        }
    }

    /// Kinds that version matching may pair with each other by text similarity: divisions (part, chapter), sections,
    /// and the provisions inside a section (a subsection may become a paragraph when a section is restructured).
    public var matchingBand: Int {
        switch self {
        case .part, .chapter: 0
        case .section: 1
        case .subsection, .paragraph, .point: 2
        }
    }

    /// The human label of number `num`: `Part 1`, `Chapter 2`, `Section 3`, `(a)`.
    public func label(_ num: String) -> String {
        switch self {
        case .part: "Part \(num)"
        case .chapter: "Chapter \(num)"
        case .section: "Section \(num)"
        case .subsection, .paragraph, .point: "(\(num))"
        }
    }
}
