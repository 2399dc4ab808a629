-- "since time T" queries find their first record through this index (O(log n)) instead of
-- walking a device's records from the oldest. SQLite appends the rowid (id) to each entry.
CREATE INDEX logs_device_time ON logs (device_id, received_at);
