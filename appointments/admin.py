"""Capacity, hours and calendar overrides are edited by system administrators here; bookings are read-only
(they change only through the services, which audit every change)."""

from django.contrib import admin

from .models import Booking, CalendarOverride, OpeningHours, ServiceCapacity


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("office", "weekday", "opens", "closes")
    list_filter = ("office", "weekday")


@admin.register(ServiceCapacity)
class ServiceCapacityAdmin(admin.ModelAdmin):
    list_display = ("office", "service", "slot_minutes", "seats_per_slot")
    list_filter = ("office", "service")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "office", "kind", "reason")
    list_filter = ("kind", "office")
    date_hierarchy = "date"


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("application", "service", "slot", "state", "booked_by", "created_at")
    list_filter = ("state", "service")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
