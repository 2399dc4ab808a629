-- mvrelay schema, version 1. Times are Unix microseconds (INTEGER).
-- Account-scope rows use device_id = '' so (device_id, key) can be the primary key.
CREATE TABLE devices (
    id          TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER,
    boot_id     TEXT,
    remote_addr TEXT
);
CREATE TABLE logs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT NOT NULL REFERENCES devices(id),
    boot_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    kind        INTEGER NOT NULL,
    message     BLOB,
    dropped     INTEGER,
    device_us   INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (device_id, boot_id, seq)
);
CREATE INDEX logs_device ON logs (device_id, id);
CREATE TABLE configs (
    device_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, key)
);
CREATE TABLE secrets (
    device_id  TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      BLOB NOT NULL,   -- sealed: nonce(12) | ciphertext | tag(16), AES-256-GCM
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, key)
);
CREATE TABLE tokens (
    hash       BLOB PRIMARY KEY, -- SHA-256 of the bearer token
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
