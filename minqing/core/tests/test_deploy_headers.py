"""Security headers (issue 16, finding 12): on every response with the base settings, and HSTS,
Secure cookies and the https redirect with ``config.production`` (in a subprocess, as deployed).
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from config.security import content_security_policy
from minqing.core.tests.deploy_env import KEY, run_production

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(header: str) -> dict[str, str]:
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("path", ["/accounts/login/", "/public/submit/", "/admin/login/"])
def test_a_page_carries_the_csp_and_the_other_headers(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert policy_of(response["Content-Security-Policy"]) == EXPECTED_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # plain http (``make run``): no HSTS, no redirect, cookies not Secure
    assert "Strict-Transport-Security" not in response
    assert not settings.SESSION_COOKIE_SECURE and not settings.SECURE_SSL_REDIRECT


def test_the_base_settings_install_the_policy() -> None:
    assert content_security_policy() == settings.CONTENT_SECURITY_POLICY
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE


# -- no inline script, style or handler left in a template that is served -------------------------

SERVED_ONLY_AS_PDF = {"reports/bulletin_pdf.html"}  # WeasyPrint's input, never sent to a browser
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* event attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
]


def test_no_template_has_inline_script_or_style() -> None:
    root = Path(settings.BASE_DIR) / "minqing"
    found = []
    for path in sorted(root.rglob("templates/**/*.html")):
        name = str(path).split("/templates/", 1)[1]
        if name in SERVED_ONLY_AS_PDF:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {what}" for rx, what in INLINE if rx.search(text)]
    assert found == []


# -- production settings, in a process of their own ---------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
c = Client()
plain = c.get("/accounts/login/")
tls = c.get("/accounts/login/", secure=True)
proxied = c.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
csrf = tls.cookies["csrftoken"]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "tls": tls.status_code,
    "proxied": proxied.status_code,
    "hsts": tls.get("Strict-Transport-Security", ""),
    "csp": tls.get("Content-Security-Policy", ""),
    "xfo": tls.get("X-Frame-Options", ""),
    "csrf_secure": bool(csrf["secure"]),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "language_secure": settings.LANGUAGE_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def test_production_sends_hsts_and_secure_cookies_over_https_only(tmp_path: Path) -> None:
    done = run_production(["-c", PROBE], tmp_path, SECRET_KEY=KEY)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://testserver/accounts/login/"]
    assert seen["tls"] == 200 and seen["proxied"] == 200  # nginx's X-Forwarded-Proto: https
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in seen["csp"] and seen["xfo"] == "DENY"
    assert seen["csrf_secure"] and seen["session_secure"] and seen["language_secure"]
    assert seen["debug"] is False


def test_production_hsts_and_redirect_follow_the_environment(tmp_path: Path) -> None:
    done = run_production(
        ["-c", PROBE],
        tmp_path,
        SECRET_KEY=KEY,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_PRELOAD="false",
        SECURE_SSL_REDIRECT="false",
        MINQING_PROXY_SSL_HEADER="",
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [200, ""]
    assert seen["proxied"] == 200 and seen["hsts"] == "max-age=3600; includeSubDomains"


def test_check_deploy_with_the_production_settings_prints_no_warning(tmp_path: Path) -> None:
    done = run_production(["manage.py", "check", "--deploy"], tmp_path, SECRET_KEY=KEY)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output and "identified some issues" not in output


def test_check_deploy_with_the_base_settings_does_warn(tmp_path: Path) -> None:
    """The probe above can fail: the same command on the http-only base settings warns."""
    done = run_production(
        ["manage.py", "check", "--deploy"], tmp_path, SECRET_KEY=KEY, DJANGO_SETTINGS_MODULE="config.settings"
    )
    assert "identified some issues" in done.stdout + done.stderr
    assert "security.W004" in done.stdout + done.stderr  # no HSTS over http
