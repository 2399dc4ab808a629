-- Over-the-air updates (docs/ota.md): uploaded bundles (the bytes live in
-- DATA_DIR/apps/<id>.mvb) and each device's target app and reported update state.
CREATE TABLE apps (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    version    TEXT NOT NULL,
    port       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    image_size INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE device_updates (
    device_id  TEXT PRIMARY KEY REFERENCES devices(id),
    target_app TEXT,
    state      TEXT NOT NULL,
    app_id     TEXT,
    dl_offset  INTEGER NOT NULL DEFAULT 0,
    reason     TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX device_updates_target ON device_updates (target_app);
