/// The tables of draft legislation (migration 13; Protocol/LEGISLATION.md §9). A version's provision tree, a comment's
/// fields and the marker are JSON text written by `BillRecordJSON` (shared with PostgreSQL); what is searched or
/// counted (states, keys, stances) has columns of its own.
enum BillSchema {
    static let statements = [
        """
        CREATE TABLE bills (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            committee TEXT NOT NULL,
            settings TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE bill_versions (
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            number INTEGER NOT NULL,
            state TEXT NOT NULL,
            opens_at INTEGER NOT NULL,
            closes_at INTEGER NOT NULL,
            published_at INTEGER,
            document TEXT NOT NULL,
            PRIMARY KEY (bill_id, number)
        )
        """,
        """
        CREATE TABLE bill_comments (
            id INTEGER PRIMARY KEY,
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            state TEXT NOT NULL,
            current_key TEXT,
            submitted_at INTEGER NOT NULL,
            data TEXT NOT NULL
        )
        """,
        "CREATE INDEX bill_comments_by_bill ON bill_comments (bill_id, id)",
        """
        CREATE TABLE bill_comment_stances (
            comment_id INTEGER NOT NULL REFERENCES bill_comments(id),
            participant TEXT NOT NULL,
            stance TEXT NOT NULL,
            PRIMARY KEY (comment_id, participant)
        )
        """,
        """
        CREATE TABLE bill_moderation_log (
            id INTEGER PRIMARY KEY,
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            comment_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            state TEXT NOT NULL,
            reason_code TEXT,
            merged_into INTEGER,
            at INTEGER NOT NULL
        )
        """,
        "CREATE INDEX bill_moderation_log_by_bill ON bill_moderation_log (bill_id, id)",
        """
        CREATE TABLE bill_markers (
            bill_id INTEGER PRIMARY KEY REFERENCES bills(id),
            marker TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE bill_reports (
            id INTEGER PRIMARY KEY,
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            version INTEGER NOT NULL,
            frozen_at INTEGER NOT NULL,
            json TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            frozen_by INTEGER
        )
        """,
        "CREATE INDEX bill_reports_by_bill ON bill_reports (bill_id, id)",
        """
        CREATE TABLE bill_staff (
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            bill_id INTEGER NOT NULL REFERENCES bills(id),
            PRIMARY KEY (staff_id, bill_id)
        )
        """,
    ]
}
