import hashlib
import hmac
import time

from minqing.webhooks import signing


def test_the_header_is_t_and_v1_over_t_dot_body() -> None:
    body = '{"id":"x","data":{"标题":"路灯"}}'.encode()
    header = signing.header_value("s3cret-s3cret-s3", body, timestamp=1_700_000_000)
    expected = hmac.new(b"s3cret-s3cret-s3", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"
    assert signing.verify("s3cret-s3cret-s3", body, header, now=1_700_000_100)


def test_a_wrong_secret_a_changed_body_or_an_old_time_fails() -> None:
    body = b'{"id":"x"}'
    header = signing.header_value("s3cret-s3cret-s3", body)
    assert signing.verify("s3cret-s3cret-s3", body, header)
    assert not signing.verify("other-secret-here", body, header)
    assert not signing.verify("s3cret-s3cret-s3", body + b" ", header)
    assert not signing.verify("s3cret-s3cret-s3", body, header, now=time.time() + 301)
    assert not signing.verify("s3cret-s3cret-s3", body, "v1=abc")
    assert not signing.verify("s3cret-s3cret-s3", body, "t=nope,v1=abc")
