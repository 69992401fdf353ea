import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# refuse to serve while a demo account keeps the demo's published password outside a demo
# (DEBUG off; a warning with DEBUG on): minqing/demo/guard.py
from minqing.demo.guard import refuse_published_password  # noqa: E402  (needs the apps loaded)

refuse_published_password()
