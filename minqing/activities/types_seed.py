"""The activity types every install starts with (configurable afterwards in the admin)."""

from typing import Any

# code, name, counting word, public service, themed party lecture
DEFAULT_TYPES: tuple[tuple[str, str, str, bool, bool], ...] = (
    ("reading_class", "读书班", "次", False, False),
    ("seminar", "研讨", "场", False, False),
    ("special_seminar", "专题研讨", "次", False, False),
    ("exemplar", "典型教育", "场", False, False),
    ("tutorial_lecture", "辅导讲座", "次", False, False),
    ("party_lecture", "专题党课", "次", False, True),
    ("central_group", "中心组学习会", "次", False, False),
    ("branch_study", "支部学习会", "次", False, False),
    ("weekend_lecture", "双休日讲座", "次", False, False),
    ("mobilisation", "动员安排会", "次", False, False),
    ("free_clinic", "义诊", "次", True, False),
    ("volunteer", "志愿服务", "次", True, False),
)


def load_default_types(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("activities", "ActivityType")
    for code, name, word, public, lecture in DEFAULT_TYPES:
        model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "counting_word": word,
                "is_public_service": public,
                "is_party_lecture": lecture,
            },
        )
