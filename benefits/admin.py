"""Admin of the benefits registry: the same rules as the screens and the API, through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.admin import ReadOnlyAdmin

from . import selectors, services
from .forms import BenefitItemForm
from .models import (
    SHARED_FIELDS,
    TEXT_FIELDS,
    BenefitComment,
    BenefitItem,
    BenefitItemVersion,
    HolderProfile,
    split_text_field_name,
)


def _is_system_admin(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN)


def _sees_registry(user) -> bool:
    return _is_system_admin(user) or selectors.user_has_workspace(user=user)


class BenefitItemAdminForm(BenefitItemForm):
    """The workspace form with every configured language at once (the admin has no picker)."""

    def clean(self):
        cleaned = super().clean()
        values = self.values()
        probe = BenefitItem(agency_id=self.instance.agency_id, **{n: values[n] for n in SHARED_FIELDS})
        texts: dict[str, dict[str, str]] = {}
        for name in self.text_names():
            field, code = split_text_field_name(name)
            if values[name]:
                texts.setdefault(code, dict.fromkeys(TEXT_FIELDS, ""))[field] = values[name]
        probe.set_texts(texts)
        try:
            services.validate_draft(probe)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return cleaned


@admin.register(BenefitItem)
class BenefitItemAdmin(admin.ModelAdmin):
    form = BenefitItemAdminForm
    list_display = ["__str__", "agency", "kind", "category", "state", "has_pending_changes", "updated_at"]
    list_filter = ["state", "kind", "category", "agency"]
    list_select_related = ["agency"]
    search_fields = ["translations__title"]
    actions = ["publish_selected", "withdraw_selected"]

    def get_queryset(self, request):
        if _is_system_admin(request.user):
            return BenefitItem.objects.select_related("agency")
        return selectors.workspace_items(user=request.user)

    def has_module_permission(self, request):
        return _sees_registry(request.user)

    def has_view_permission(self, request, obj=None):
        return _sees_registry(request.user)

    def has_add_permission(self, request):
        user = request.user
        return user.agency_id is not None and selectors.user_can_draft(user=user, agency_id=user.agency_id)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return obj.is_editable and selectors.user_can_draft(user=request.user, agency_id=obj.agency_id)

    def has_delete_permission(self, request, obj=None):
        # Published items are history; drafts are kept too, the audit log refers to them.
        return False

    def save_model(self, request, obj, form, change):
        values = form.values()
        if change:
            services.benefit_item_update(actor=request.user, item=obj, values=values)
        else:
            created = services.benefit_item_create(actor=request.user, values=values)
            obj.pk = created.pk
            obj.agency_id = created.agency_id

    def _each(self, request, queryset, call, done: str):
        for item in queryset:
            try:
                call(item)
            except (ValidationError, PermissionDenied, Http404) as error:
                text = (
                    "; ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error) or _("Not allowed.")
                )
                self.message_user(request, f"{item}: {text}", level=messages.ERROR)
            else:
                self.message_user(request, f"{item}: {done}")

    @admin.action(description=_("Publish the selected items"))
    def publish_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda item: services.benefit_item_publish(actor=request.user, item=item),
            _("Published."),
        )

    @admin.action(description=_("Withdraw the selected items"))
    def withdraw_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda item: services.benefit_item_withdraw(actor=request.user, item=item),
            _("Withdrawn from the catalogue."),
        )


class RegistryReadOnlyAdmin(ReadOnlyAdmin):
    """Read-only, and seen only by whom the registry is shown to."""

    def has_module_permission(self, request):
        return _sees_registry(request.user)

    def has_view_permission(self, request, obj=None):
        return _sees_registry(request.user)


@admin.register(BenefitItemVersion)
class BenefitItemVersionAdmin(RegistryReadOnlyAdmin):
    list_display = ["__str__", "agency", "number", "published_at", "published_by"]
    list_filter = ["agency", "category"]
    list_select_related = ["agency", "published_by"]

    def get_queryset(self, request):
        versions = BenefitItemVersion.objects.select_related("agency", "published_by")
        if _is_system_admin(request.user):
            return versions
        return versions.filter(item__in=selectors.workspace_items(user=request.user))


@admin.register(BenefitComment)
class BenefitCommentAdmin(RegistryReadOnlyAdmin):
    list_display = ["item", "author", "created_at"]
    list_select_related = ["item", "author"]

    def get_queryset(self, request):
        comments = BenefitComment.objects.select_related("item", "author")
        if _is_system_admin(request.user):
            return comments
        return comments.filter(item__in=selectors.workspace_items(user=request.user))


@admin.register(HolderProfile)
class HolderProfileAdmin(RegistryReadOnlyAdmin):
    list_display = ["user", "card_number", "is_working", "is_minor", "source", "updated_at"]
    list_select_related = ["user"]

    def has_module_permission(self, request):
        return _is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_system_admin(request.user)
