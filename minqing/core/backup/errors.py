class BackupError(Exception):
    """A backup or restore that cannot go on; the message is bilingual (中文 / English)."""
