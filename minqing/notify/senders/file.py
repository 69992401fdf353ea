"""The default sender: each message is one JSON line in a file under var/ and one log line.

Nothing leaves the machine; tests, the browser test and a trial install read what was "sent"
from ``MINQING_SENDER_FILE`` (``var/sent-messages.jsonl`` by default). The file holds the
recipients' addresses in plain text: it is for trials, not for production.
"""

import json
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from minqing.notify.senders import Message

log = logging.getLogger("minqing.notify")
_lock = threading.Lock()


def sender_file() -> Path:
    return Path(settings.MINQING_SENDER_FILE)


class FileSender:
    def send(self, message: Message) -> None:
        line = {
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "to": message.to,
            "subject": message.subject,
            "body": message.body,
        }
        path = sender_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        with _lock, path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        log.info("message (%s) written to %s", message.channel, path)


def read_sent(path: Path | None = None) -> list[dict[str, str]]:
    """Every message the file sender wrote, oldest first (for tests and trials)."""
    path = path or sender_file()
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
