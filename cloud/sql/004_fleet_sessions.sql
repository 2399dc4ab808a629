-- Fleet presence (relays sharing one PostgreSQL database; a single SQLite relay keeps
-- these tables empty). sessions: which relay instance holds each device's live session,
-- written with the session metadata at HELLO and removed at disconnect. relays: each
-- running instance's heartbeat (the database's clock, microseconds), so a session left
-- by a relay that was killed stops counting as online once its heartbeat is stale.
CREATE TABLE sessions (
    device_id TEXT PRIMARY KEY,
    relay     TEXT NOT NULL,
    since     INTEGER NOT NULL
);
CREATE TABLE relays (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    heartbeat INTEGER NOT NULL
);
