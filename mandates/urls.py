from django.urls import path

from . import views

# Public pages. Feature modules (PDF, feeds, meetings) add their routes below theirs.
urlpatterns = [
    path("", views.home, name="home"),
    path("resolutions/", views.resolution_list, name="resolution_list"),
    path("resolutions/<slug:slug>/", views.resolution_detail, name="resolution_detail"),
    path("mandates/", views.mandate_list, name="mandate_list"),
    path("organs/", views.organ_list, name="organ_list"),
    path("organs/<path:acronym>/", views.organ_detail, name="organ_detail"),
    # Last: a paragraph label is any text without a slash ("20.c").
    path("resolutions/<slug:slug>/<str:label>/", views.mandate_detail, name="mandate_detail"),
]
