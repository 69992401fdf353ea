import re


def unsubscribe_link(body: str) -> str:
    """The site-relative unsubscribe link in a message's text."""
    found = re.search(r"(/notify/unsubscribe/[^/\s]+/)", body)
    assert found is not None, body
    return found.group(1)
