/// Who acts on a sitting: a participant (by their participant id) or a staff member.
public enum HearingActor: Sendable, Equatable {
    case participant(String)
    case staff(StaffMember)

    var staff: StaffMember? {
        if case .staff(let member) = self { return member }
        return nil
    }
}
