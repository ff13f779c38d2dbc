from django.urls import path

from . import views

app_name = "culture"

urlpatterns = [
    path("", views.national_view, name="national"),
    path("metode/", views.methods, name="methods"),
    path("sporreskjema/", views.questionnaire, name="questionnaire"),
    path("resultater/<int:pk>/", views.results, name="results"),
    path("resultater/<int:pk>/rapport.pdf", views.results_pdf, name="results_pdf"),
    path("resultater/<int:pk>/rapport.xlsx", views.results_xlsx, name="results_xlsx"),
]
