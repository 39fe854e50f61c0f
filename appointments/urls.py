"""HTML pages of the appointments app."""

from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("appointments/cases/<int:pk>/book/", views.book, name="book"),
    path("appointments/<int:pk>/", views.detail, name="detail"),
    path("appointments/<int:pk>/move/", views.move, name="move"),
    path("appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("appointments/<int:pk>/mark/", views.mark, name="mark"),
    path("appointments/<int:pk>/ics", views.ics, name="ics"),
    path("appointments/today/", views.today, name="today"),
    path("appointments/offices/<slug:code>/", views.office_hours, name="office_hours"),
]
