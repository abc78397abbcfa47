extension StaffMember {
    /// May moderate the comments of `bill`: admins, and moderators assigned to it (`assigned`: the bills the account
    /// works on, `hemicycle staff add … --bill ID`).
    public func canModerate(bill: Bill.ID, assigned: Set<Bill.ID>) -> Bool {
        role == .admin || (role == .moderator && assigned.contains(bill))
    }

    /// May move the "now discussing" marker of `bill` and freeze its report: admins, and clerks and chairs assigned to it.
    public func canRunMarkup(bill: Bill.ID, assigned: Set<Bill.ID>) -> Bool {
        role == .admin || ((role == .clerk || role == .chair) && assigned.contains(bill))
    }

    /// May read `bill:{id}:moderation` and the moderation queue.
    public func canReadModeration(bill: Bill.ID, assigned: Set<Bill.ID>) -> Bool {
        canModerate(bill: bill, assigned: assigned) || canRunMarkup(bill: bill, assigned: assigned)
    }
}
