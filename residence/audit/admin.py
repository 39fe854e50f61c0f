from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the admin can search the log but never change or remove an entry."""

    list_display = ["created_at", "actor_label", "action", "object_label", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_label", "object_label", "action", "request_id", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
