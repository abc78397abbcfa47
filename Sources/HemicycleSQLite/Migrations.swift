import SQLiteNIO

/// The versioned schema. Each migration runs once, in order, inside a transaction, and is recorded in
/// `schema_migrations`. Never edit a released migration: add a new one.
enum Migrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
        /// Work SQL cannot do, run after `statements` in the same transaction.
        var then: (@Sendable (SQLiteConnection) async throws -> Void)? = nil
    }

    static let all: [Migration] = [
        Migration(
            version: 1, name: "petitions, signatures, sittings",
            statements: [
                """
                CREATE TABLE petitions (
                    id INTEGER PRIMARY KEY,
                    action TEXT NOT NULL,
                    background TEXT NOT NULL DEFAULT '',
                    additional_details TEXT NOT NULL DEFAULT '',
                    state TEXT NOT NULL,
                    signature_count INTEGER NOT NULL DEFAULT 0,
                    creator_name TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    opened_at INTEGER,
                    closed_at INTEGER,
                    closing_at INTEGER,
                    response_threshold INTEGER NOT NULL,
                    debate_threshold INTEGER NOT NULL,
                    response_threshold_reached_at INTEGER,
                    debate_threshold_reached_at INTEGER
                )
                """,
                """
                CREATE TABLE signatures (
                    id INTEGER PRIMARY KEY,
                    petition_id INTEGER NOT NULL REFERENCES petitions(id),
                    name TEXT NOT NULL,
                    email TEXT NOT NULL,
                    postcode TEXT,
                    country TEXT,
                    created_at INTEGER NOT NULL,
                    UNIQUE (petition_id, email)
                )
                """,
                """
                CREATE TABLE sittings (
                    id INTEGER PRIMARY KEY,
                    title TEXT NOT NULL,
                    committee TEXT NOT NULL,
                    state TEXT NOT NULL,
                    scheduled_start INTEGER NOT NULL,
                    stream_url TEXT
                )
                """,
            ]
        ),
        Migration(
            version: 2, name: "hearings: questions, votes, moderation log, notes; staff, sessions, audit log, secrets",
            statements: [
                "ALTER TABLE sittings ADD COLUMN stream_started_at INTEGER",
                "ALTER TABLE sittings ADD COLUMN ended_at INTEGER",
                "ALTER TABLE sittings ADD COLUMN agenda TEXT NOT NULL DEFAULT '[]'",
                "ALTER TABLE sittings ADD COLUMN witnesses TEXT NOT NULL DEFAULT '[]'",
                "ALTER TABLE sittings ADD COLUMN settings TEXT NOT NULL DEFAULT '{}'",
                """
                CREATE TABLE questions (
                    id INTEGER PRIMARY KEY,
                    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
                    participant TEXT NOT NULL,
                    text TEXT NOT NULL,
                    original_text TEXT,
                    name TEXT,
                    region TEXT,
                    state TEXT NOT NULL,
                    reason_code TEXT,
                    merged_into INTEGER,
                    merged_from TEXT NOT NULL DEFAULT '[]',
                    tag TEXT,
                    priority INTEGER NOT NULL DEFAULT 0,
                    submitted_at INTEGER NOT NULL,
                    answered_at INTEGER,
                    answered_offset INTEGER
                )
                """,
                "CREATE INDEX questions_by_sitting ON questions (sitting_id)",
                """
                CREATE TABLE question_votes (
                    question_id INTEGER NOT NULL REFERENCES questions(id),
                    participant TEXT NOT NULL,
                    PRIMARY KEY (question_id, participant)
                ) WITHOUT ROWID
                """,
                """
                CREATE TABLE moderation_log (
                    id INTEGER PRIMARY KEY,
                    sitting_id INTEGER NOT NULL,
                    question_id INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    state TEXT NOT NULL,
                    reason_code TEXT,
                    merged_into INTEGER,
                    at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX moderation_log_by_sitting ON moderation_log (sitting_id, id)",
                """
                CREATE TABLE backstage_notes (
                    id INTEGER PRIMARY KEY,
                    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
                    question_id INTEGER,
                    text TEXT NOT NULL,
                    author_id INTEGER NOT NULL,
                    author_name TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    read_at INTEGER
                )
                """,
                """
                CREATE TABLE staff (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    password_change_required INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE staff_sittings (
                    staff_id INTEGER NOT NULL REFERENCES staff(id),
                    sitting_id INTEGER NOT NULL,
                    PRIMARY KEY (staff_id, sitting_id)
                ) WITHOUT ROWID
                """,
                """
                CREATE TABLE staff_sessions (
                    token_hash TEXT PRIMARY KEY,
                    staff_id INTEGER NOT NULL REFERENCES staff(id),
                    expires_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    staff_id INTEGER,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    details TEXT NOT NULL
                )
                """,
                "CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]
        ),
        Migration(
            version: 3, name: "petition lifecycle: creators, supporters, moderation, email tokens, outbox",
            statements: [
                "ALTER TABLE petitions ADD COLUMN moderation_threshold_reached_at INTEGER",
                "ALTER TABLE petitions ADD COLUMN rejected_at INTEGER",
                "ALTER TABLE petitions ADD COLUMN rejection_code TEXT",
                "ALTER TABLE petitions ADD COLUMN rejection_details TEXT",
                "ALTER TABLE petitions ADD COLUMN government_response TEXT",
                "ALTER TABLE petitions ADD COLUMN debate TEXT",
                "ALTER TABLE petitions ADD COLUMN sponsor_token TEXT",
                // `kind`: signature, creator or supporter; `state`: counted or pending (not yet confirmed).
                "ALTER TABLE signatures ADD COLUMN kind TEXT NOT NULL DEFAULT 'signature'",
                "ALTER TABLE signatures ADD COLUMN state TEXT NOT NULL DEFAULT 'counted'",
                "ALTER TABLE signatures ADD COLUMN confirmed_at INTEGER",
                """
                CREATE TABLE email_tokens (
                    hash TEXT PRIMARY KEY,
                    purpose TEXT NOT NULL,
                    subject INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                )
                """,
                """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    recipient TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    sent_at INTEGER,
                    last_error TEXT
                )
                """,
                "CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at)",
            ]
        ),
        Migration(
            version: 4, name: "signatures: the household rule (two names per email) replaces one signature per email",
            statements: [
                """
                CREATE TABLE signatures_v4 (
                    id INTEGER PRIMARY KEY,
                    petition_id INTEGER NOT NULL REFERENCES petitions(id),
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL,
                    email TEXT NOT NULL,
                    postcode TEXT,
                    country TEXT,
                    created_at INTEGER NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'signature',
                    state TEXT NOT NULL DEFAULT 'counted',
                    confirmed_at INTEGER,
                    UNIQUE (petition_id, email, name_key)
                )
                """,
                """
                INSERT INTO signatures_v4 (id, petition_id, name, name_key, email, postcode, country, created_at, kind, state, confirmed_at)
                SELECT id, petition_id, name, lower(trim(name)), email, postcode, country, created_at, kind, state, confirmed_at FROM signatures
                """,
                "DROP TABLE signatures",
                "ALTER TABLE signatures_v4 RENAME TO signatures",
                "CREATE INDEX signatures_by_petition_state ON signatures (petition_id, state)",
            ]
        ),
        Migration(
            version: 5, name: "signature integrity: addresses, held signatures, invalidations, regions and tallies",
            statements: [
                "ALTER TABLE signatures ADD COLUMN address TEXT",
                "ALTER TABLE signatures ADD COLUMN constituency TEXT",
                // 1 when the signature was held for review at creation (kept after release, for the integrity figures).
                "ALTER TABLE signatures ADD COLUMN held INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE signatures ADD COLUMN invalidated_at INTEGER",
                "ALTER TABLE signatures ADD COLUMN invalidation_id INTEGER",
                // From now on `confirmed_at` is when a signature started to count, whether confirmed by email or not.
                "UPDATE signatures SET confirmed_at = created_at WHERE state = 'counted' AND confirmed_at IS NULL",
                "CREATE INDEX signatures_by_petition_created ON signatures (petition_id, created_at)",
                "CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
                "CREATE TABLE constituencies (code TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, member TEXT NOT NULL)",
                "CREATE TABLE postcodes (postcode TEXT PRIMARY KEY, constituency TEXT NOT NULL) WITHOUT ROWID",
                "CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL)",
                // Counted signatures per petition, country and constituency ('' for none), kept with the counts.
                """
                CREATE TABLE signature_tallies (
                    petition_id INTEGER NOT NULL,
                    country TEXT NOT NULL,
                    constituency TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (petition_id, country, constituency)
                ) WITHOUT ROWID
                """,
                """
                INSERT INTO signature_tallies (petition_id, country, constituency, count)
                SELECT petition_id, COALESCE(country, ''), '', COUNT(*) FROM signatures WHERE state = 'counted' GROUP BY 1, 2
                """,
                """
                CREATE TABLE invalidations (
                    id INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    staff_id INTEGER,
                    reason TEXT NOT NULL,
                    condition TEXT NOT NULL,
                    changed TEXT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 6, name: "held signatures: a partial index for the staff review",
            statements: [
                // Few signatures are ever held: the review page finds them without scanning every signature.
                "CREATE INDEX signatures_held ON signatures (petition_id) WHERE state = 'held'",
            ]
        ),
        Migration(
            version: 7, name: "outbox: priorities, per-recipient counts, erasure of sent and abandoned mail",
            statements: [
                // 0: signature confirmations, sent before anything else; 1: everything else.
                "ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1",
                "ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'",
                // A keyed hash of the recipient for the per-recipient limit; forgotten after the limit's window.
                "ALTER TABLE outbox ADD COLUMN recipient_key TEXT",
                "ALTER TABLE outbox ADD COLUMN abandoned_at INTEGER",
                "UPDATE outbox SET priority = 0, kind = 'signature' WHERE sent_at IS NULL AND subject = 'Confirm your signature'",
                // Mail already sent keeps no recipient, subject or body (the row stays as a count).
                "UPDATE outbox SET recipient = '', subject = '', body = '' WHERE sent_at IS NOT NULL",
                "DROP INDEX outbox_due",
                "CREATE INDEX outbox_due ON outbox (priority, next_attempt_at, id) WHERE sent_at IS NULL AND abandoned_at IS NULL",
                "CREATE INDEX outbox_by_recipient ON outbox (recipient_key, created_at) WHERE recipient_key IS NOT NULL",
            ]
        ),
        Migration(
            version: 8, name: "listings by state with indexes and paging; final states stamped; anonymisation of every final state",
            statements: [
                "ALTER TABLE petitions ADD COLUMN hidden_at INTEGER",
                "ALTER TABLE petitions ADD COLUMN abandoned_at INTEGER",
                // Set when the petition's people were anonymised (its signatures' and creator's personal data erased).
                "ALTER TABLE petitions ADD COLUMN anonymised_at INTEGER",
                // Action, background and details lower-cased in Swift (SQLite's lower() folds ASCII only), for `q`.
                "ALTER TABLE petitions ADD COLUMN search_text TEXT",
                // Hidden petitions had no stamp: hiding was their last change.
                "UPDATE petitions SET hidden_at = updated_at WHERE state = 'hidden'",
                // Listings read one state at a time from these, so that drafts (pending, however many) are never
                // read for a public page: by id within a state (keyset pages), and by signatures within a state
                // (scanned backwards for "most signatures, then newest").
                "CREATE INDEX petitions_by_state ON petitions (state)",
                "CREATE INDEX petitions_by_state_count ON petitions (state, signature_count, id)",
                // The scheduler's search for drafts past `--abandon-after-days` reads old drafts only, not every draft.
                "CREATE INDEX petitions_by_state_created ON petitions (state, created_at)",
                // The scheduler looks for ended petitions not anonymised yet; anonymised ones leave this index.
                "CREATE INDEX petitions_to_anonymise ON petitions (state) WHERE anonymised_at IS NULL",
                "CREATE INDEX sittings_by_state ON sittings (state, scheduled_start)",
            ],
            then: SQLiteStore.fillSearchText
        ),
        Migration(
            version: 9, name: "held votes: votes over the per-address cap of a question, with the tag of their address",
            statements: [
                // `held` votes are not in the public count; `address` is an opaque keyed hash of the vote's AddressKey
                // (never the address), so the cap survives a restart without keeping anyone's address.
                "ALTER TABLE question_votes ADD COLUMN held INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE question_votes ADD COLUMN address TEXT",
            ]
        ),
        Migration(
            version: 10, name: "staff sessions: indexes to end a member's sessions and purge expired ones",
            statements: [
                "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id)",
                "CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at)",
            ]
        ),
        Migration(
            version: 11, name: "staff accounts: active, disabled or removed (managed by admins in the pages)",
            statements: [
                "ALTER TABLE staff ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
            ]
        ),
        Migration(
            version: 12, name: "moderation claims stored (every node decides on the same claims); votes counted per question and address from an index",
            statements: [
                """
                CREATE TABLE question_claims (
                    question_id INTEGER PRIMARY KEY REFERENCES questions(id),
                    sitting_id INTEGER NOT NULL REFERENCES sittings(id),
                    staff_id INTEGER NOT NULL,
                    staff_name TEXT NOT NULL,
                    until INTEGER NOT NULL
                )
                """,
                "CREATE INDEX question_claims_sitting ON question_claims (sitting_id)",
                // A vote is decided on the stored votes of its question from its address: counted from this index.
                "CREATE INDEX question_votes_address ON question_votes (question_id, address, held)",
            ]
        ),
        Migration(
            version: 13, name: "draft legislation: bills, versions, comments with stances, moderation log, marker, reports, staff",
            statements: BillSchema.statements
        ),
    ]
}
