"""Every entry point that reads an uploaded or imported file (issue 16, finding 6 and its probe).

``test_upload_entry_points`` sends each one the hostile files of ``hostile_files`` and fails when
a form with a ``FileField``, a view that reads ``request.FILES``, an importer kind or a management
command appears without a row here (as the permission matrix does for URL patterns).
``benchmarks/upload_probe.py`` sends the full-size files to the same rows through a real server.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minqing.orgs.models import Unit
    from minqing.programmes.models import Programme

ROLE_OFFICE = "office"


@dataclass(frozen=True)
class WebUpload:
    url: str  # URL name
    form: str  # dotted path of the form class with the FileField
    kind: str  # what the upload imports (an IMPORTERS kind)
    max_upload_mb: int  # the form's own cap on the file sent (its module's UPLOAD_MAX_MB)
    needs_programme: bool = False  # the URL takes the programme's pk


WEB_UPLOADS: tuple[WebUpload, ...] = (
    WebUpload("catalogues:power_import", "minqing.catalogues.forms.UploadForm", "powers", 20),
    WebUpload("catalogues:reform_import", "minqing.catalogues.forms.UploadForm", "reforms", 20),
    WebUpload("catalogues:commendation_import", "minqing.catalogues.forms.UploadForm", "commendations", 20),
    WebUpload(
        "programmes:upload", "minqing.programmes.forms.UploadForm", "progress", 10, needs_programme=True
    ),
)

# views that read uploaded images (photos on reports and staff updates), not spreadsheets: each
# goes through ``minqing.photos.images.prepare`` (content checked by Pillow, byte, pixel and count
# caps, decompression bombs refused from the header); the hostile images are sent in
# ``minqing/photos/tests`` (test_images, test_public_submit, test_staff_update)
IMAGE_UPLOADS: dict[str, str] = {
    "public:submit": "photos of a resident's report (photos_attach_to_feedback)",
    "ledger:act": "photos of a staff update (prepare_uploads, photos_attach_to_update)",
}


def upload_programme(owner: "Unit") -> "Programme":
    """The programme (one target) whose pk a ``needs_programme`` row's URL takes: made through
    the services by the test and by ``benchmarks/upload_probe_world`` alike."""
    from minqing.orgs.actors import SYSTEM
    from minqing.programmes.services.programmes import programme_create, target_create

    programme = programme_create(actor=SYSTEM, name="十个全覆盖", owner=owner, start_date=dt.date(2019, 1, 1))
    target_create(
        actor=SYSTEM,
        programme=programme,
        key="road",
        name="街巷硬化",
        measure="公里",
        plan_quantity=Decimal(10),
    )
    return programme


# ``minqing import KIND FILE`` (``manage.py import_data``): every kind reads a file
CLI_IMPORT_COMMAND = "import_data"
CLI_IMPORTS: tuple[str, ...] = (
    "units",
    "problems",
    "campaigns",
    "people",
    "activities",
    "attendance",
    "progress",
    "powers",
    "reforms",
    "commendations",
)

# every management command of the project's apps: the one that reads a user's file, and why
# the others are no entry point (a new command fails the test until it is classified here; rows
# for commands of branches not merged yet may stand here ahead of them)
COMMANDS: dict[str, str] = {
    CLI_IMPORT_COMMAND: "reads FILE: every kind of CLI_IMPORTS",
    "bulletin": "writes a file (--output), reads none",
    "demo": "reads only the shipped data under shared/ and minqing/fixtures",
    "demo_logins": "reads no file",
    "rollup_activities": "reads no file",
    "rollup_problems": "reads no file",
    "run_deadlines": "reads no file",
    "tree": "reads no file",
    "duty": "reads no file",
    "privacy": "reads no file (prints where personal data lives)",
    "rotate_field_keys": "reads no file (keys come from the environment)",
    "audit_archive": "writes archives; --verify streams one of its own gzip archives line by line",
    "serve": "reads no file (starts gunicorn and run_huey)",
    "backup": "writes a backup folder; reads the database only",
    "restore": "reads an operator's own backup folder (checked against its manifest's SHA-256 before use)",
    "nlp": "eval / hot-topics / duplicates read an operator's UTF-8 CSV whole (no web upload reaches them); "
    "train and split read the ledger and the shipped data",
}
