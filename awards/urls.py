from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.membership_switch, name="membership_switch"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("activity/", views.activity, name="activity"),
]
