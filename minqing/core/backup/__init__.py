"""``minqing backup`` and ``minqing restore`` (docs/backup.md).

SQLite (the embedded default): an online copy through SQLite's backup API, consistent while the
server keeps writing (WAL: readers never block writers). PostgreSQL: a base backup
(``pg_basebackup``, with the WAL it needs) that, with the server's WAL archive, restores to any
point in time after it. Each backup has a ``manifest.json``: the files with their SHA-256, the
row counts, and a fingerprint of the audit trail as the backup holds it; ``restore`` checks the
files, restores into a fresh database and checks that the audit trail it restored is the one the
backup took, row for row.
"""
