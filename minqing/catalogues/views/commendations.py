"""Pages of commendations: list with counts by title and year, new, detail/edit, export, upload.

A commendation is a public honour: its pages show the honouree's name, never a phone or ID
number (those live in ``PersonIdentity``, which nothing here reads).
"""

from django.utils.translation import gettext_lazy as _

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import commendation_summary
from minqing.catalogues.exports import export_commendations
from minqing.catalogues.formats import COMMENDATIONS
from minqing.catalogues.forms import COMMON_TITLES, CommendationForm
from minqing.catalogues.services.commendations import commendation_create, commendation_update
from minqing.catalogues.views.common import detail_view, export_view, list_view, new_view, upload_view
from minqing.catalogues.views.kinds import CatalogueKind, Reads, Words, Writes
from minqing.orgs.actors import Actor


def _choices(actor: Actor) -> dict[str, object]:
    """The titles and years present in the actor's scope, and the campaigns."""
    titles, years = sel.commendation_choices(actor)
    return {"titles": titles, "years": years, "campaigns": sel.campaigns()}


COMMENDATION = CatalogueKind(
    name="commendation",
    fmt=COMMENDATIONS,
    export=export_commendations,
    reads=Reads(
        sel.CommendationFilters.from_mapping, sel.commendations, sel.commendation_page, commendation_summary
    ),
    choices=_choices,
    writes=Writes(CommendationForm, commendation_create, commendation_update, record="commendation"),
    words=Words(new=_("新增表彰"), created=_("已新增表彰"), upload=_("导入表彰")),
    upload_help=_(
        "一行一项表彰。单位代码 + 姓名 + 荣誉称号 + 表彰日期 相同的行更新已有表彰,否则新增;"
        "系统中的人员可填人员编号(姓名须一致或留空);重复导入同一文件不会产生变化。"
    ),
    datalist=COMMON_TITLES,
)

commendation_list = list_view(COMMENDATION)
commendation_new = new_view(COMMENDATION)
commendation_detail = detail_view(COMMENDATION, sel.commendation_get, "row")
commendation_export = export_view(COMMENDATION)
commendation_upload = upload_view(COMMENDATION)
