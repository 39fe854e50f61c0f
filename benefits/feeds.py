"""The Atom feed of changes to the catalogue: one entry per published version."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors


class BenefitChangesFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("benefits:catalogue")

    def title(self) -> str:
        return _("National-treatment items for permanent residents: changes")

    def subtitle(self) -> str:
        return _("Every item and service an agency publishes or revises, newest first.")

    def items(self):
        return selectors.recent_versions(limit=50)

    def item_title(self, version) -> str:
        return _("%(title)s (version %(number)d, %(agency)s)") % {
            "title": version.title,
            "number": version.number,
            "agency": version.agency.name,
        }

    def item_description(self, version) -> str:
        # The feed generator escapes this text; it is never markup.
        return version.description

    def item_link(self, version) -> str:
        return reverse("benefits:item", args=[version.item_id])

    def item_guid(self, version) -> str:
        return f"benefit-item-{version.item_id}-version-{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at

    def item_author_name(self, version) -> str:
        return version.agency.name

    def item_categories(self, version):
        return [version.get_category_display()]
