from pathlib import Path

import pytest


@pytest.fixture
def sent_file(settings, tmp_path) -> Path:
    """A fresh file for the file sender, and the default senders for both channels."""
    settings.MINQING_SENDER_FILE = tmp_path / "sent.jsonl"
    settings.MINQING_SENDERS = {"email": "file", "sms": "file"}
    return settings.MINQING_SENDER_FILE
