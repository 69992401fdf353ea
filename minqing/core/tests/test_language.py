import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_chinese(client) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "zh-hans"
    assert "登录" in page.content.decode()


def test_chosen_language_wins(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode() or "Sign in" in page.content.decode()


def test_switching_language_through_setlang(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"


# --- issue 15, item 6: each language by its own name; nothing user-visible left untranslated ---


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_switch_names_each_language_in_its_own_words(client, language) -> None:
    import re

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("login")).content.decode()
    buttons = dict(
        re.findall(r'<button type="submit" name="language" value="([^"]+)"[^>]*>([^<]*)</button>', html)
    )
    assert buttons == {"zh-hans": "中文", "en": "English"}


def test_the_catalogue_has_no_empty_or_fuzzy_translation() -> None:
    import polib

    po = polib.pofile(str(settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    empty = [e.msgid for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not empty, f"{len(empty)} msgid without English, e.g. {empty[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy msgid, e.g. {fuzzy[:5]}"


def test_every_error_code_has_english() -> None:
    import re

    from django.utils.translation import override

    from minqing.core.errors import ErrorCode

    # ":万" is template syntax the user types (the ten-thousands modifier), not a word to translate
    with override("en"):
        untranslated = [
            c.name for c in ErrorCode if re.search(r"[\u3400-\u9fff]", str(c.template).replace(":万", ""))
        ]
    assert not untranslated, untranslated
