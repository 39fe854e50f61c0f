"""HTML pages of the reconsideration app."""

from django.urls import path

from . import views

app_name = "reconsideration"
urlpatterns = [
    path("reconsideration/", views.index, name="index"),
    path("reconsideration/<int:pk>/", views.detail, name="detail"),
    path("reconsideration/<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
    path("reconsideration/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("reconsideration/refusals/<int:pk>/", views.lodge_application, name="lodge_application"),
    path("reconsideration/revocations/<int:pk>/", views.lodge_revocation, name="lodge_revocation"),
]
