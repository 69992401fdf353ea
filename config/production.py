"""Production settings: ``DJANGO_SETTINGS_MODULE=config.production``, behind nginx with TLS.

The base settings (``config.settings``: database, apps, CSP, X-Frame-Options, Referrer-Policy,
nosniff) plus what only holds over https: HSTS, Secure cookies, the redirect to https, and a
SECRET_KEY that must come from the environment. Every value below that may differ between sites
is read from the environment; docs/deploy-security.md lists them.
``minqing check --deploy`` with these settings prints no warning.
"""

from config.security import proxy_ssl_header, required_field_keys, required_secret_key
from config.settings import *  # noqa: F403
from config.settings import env

DEBUG = False
# refuse to start without a key of this site's own (missing, short, or the old public default)
SECRET_KEY = required_secret_key(env.str("SECRET_KEY", default=""))
# and without the personal-data encryption keys in the environment (never the key file under var/)
MINQING_FIELD_KEYS = required_field_keys(env.list("MINQING_FIELD_KEYS", default=[]))

# https only: nginx terminates TLS and sets X-Forwarded-Proto (MINQING_PROXY_SSL_HEADER; blank
# when Django itself is reached over https with no proxy in front)
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env.str("MINQING_PROXY_SSL_HEADER", default="X-Forwarded-Proto"))
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# cookies travel over https only; the session and CSRF cookies stay out of reach of scripts
# where they can (the CSRF token is read from the form, never by JavaScript)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# the same headers as the base settings, restated so that this file shows the whole policy
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
