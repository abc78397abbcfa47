/// The versioned schema. Each migration runs once, in order, inside a transaction, and is recorded in
/// `schema_migrations`. Never edit a released migration: add a new one.
enum Migrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
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
        )
    ]
}
