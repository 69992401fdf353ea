"""Pages of the administrative power list: list with counts, new, detail/edit, export, upload."""

from django.utils.translation import gettext_lazy as _

from minqing.catalogues import selectors as sel
from minqing.catalogues.counting import power_summary
from minqing.catalogues.exports import export_powers
from minqing.catalogues.formats import POWERS
from minqing.catalogues.forms import PowerItemForm
from minqing.catalogues.models import PowerCategory
from minqing.catalogues.services.powers import power_item_create, power_item_update
from minqing.catalogues.views.common import detail_view, export_view, list_view, new_view, upload_view
from minqing.catalogues.views.kinds import CatalogueKind, Reads, Words, Writes

POWER = CatalogueKind(
    name="power",
    fmt=POWERS,
    export=export_powers,
    reads=Reads(sel.PowerFilters.from_mapping, sel.power_items, sel.power_page, power_summary),
    choices=lambda actor: {"categories": PowerCategory.choices},
    writes=Writes(PowerItemForm, power_item_create, power_item_update, record="item"),
    words=Words(new=_("新增权力事项"), created=_("已新增权力事项"), upload=_("导入权力清单")),
    upload_help=_(
        "一行一个权力事项。部门代码 + 权力类别 + 事项名称 相同的行更新已有事项,否则新增;"
        "重复导入同一文件不会产生变化。"
    ),
)

power_list = list_view(POWER)
power_new = new_view(POWER)
power_detail = detail_view(POWER, sel.power_get, "item")
power_export = export_view(POWER)
power_upload = upload_view(POWER)
