from django.urls import path

from . import views

app_name = "mfa"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("confirm/", views.reauth, name="reauth"),
    path("setup/", views.enrol, name="enrol"),
    path("devices/", views.devices, name="devices"),
    path("devices/<str:kind>/<int:pk>/remove/", views.device_remove, name="device_remove"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_codes, name="new_codes"),
    path("passkeys/register/options/", views.passkey_register_options, name="passkey_register_options"),
    path("passkeys/register/", views.passkey_register, name="passkey_register"),
    path("passkeys/login/options/", views.passkey_login_options, name="passkey_login_options"),
    path("passkeys/login/", views.passkey_login, name="passkey_login"),
]
