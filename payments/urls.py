from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/orders/<int:pk>/", views.order_detail, name="order"),
    path("payments/orders/<int:pk>/pay/", views.order_pay, name="order_pay"),
    path("payments/orders/<int:pk>/return/", views.order_return, name="order_return"),
    path("payments/orders/<int:pk>/receipt.pdf", views.order_receipt, name="order_receipt"),
    path("payments/orders/<int:pk>/officer/", views.order_officer, name="order_officer"),
    path("payments/notify/", views.notify, name="notify"),
    path("payments/reconciliation/", views.findings, name="findings"),
]
