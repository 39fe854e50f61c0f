from django.conf import settings

from .navigation import items_for


def navigation(request):
    return {"nav_items": items_for(request.user), "portal_name": settings.PORTAL_NAME}


def languages(request):
    """The switcher's choices (each named in itself, with its lang tag) and the page's lang/dir."""
    from residence import languages as langs

    active = langs.current()
    return {
        "portal_languages": [
            {"code": code, "name": name, "tag": langs.html_tag(code), "active": code == active}
            for code, name in langs.choices()
        ],
        "html_lang": langs.html_tag(active),
    }
