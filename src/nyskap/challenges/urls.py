from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("ny/", views.challenge_create, name="create"),
    path("resultater/", views.outcomes, name="outcomes"),
    path("resultater/utfall.csv", views.outcomes_csv, name="outcomes_csv"),
    path("leverandor/", views.follows, name="follows"),
    path("leverandor/slutt/<int:pk>/", views.unfollow, name="unfollow"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/rediger/", views.challenge_edit, name="edit"),
    path("<slug:slug>/vedlegg/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:slug>/status/<slug:action>/", views.challenge_transition, name="transition"),
    path("<slug:slug>/ikke-tildelt/", views.challenge_not_awarded, name="not_awarded"),
    path("<slug:slug>/utfall/", views.challenge_outcome, name="outcome"),
    path("<slug:slug>/program/<int:pk>/", views.stage_edit, name="stage"),
    path("<slug:slug>/bli-med/", views.challenge_join, name="join"),
    path("<slug:slug>/bli-med/<int:pk>/<slug:decision>/", views.join_decide, name="join_decide"),
    path("<slug:slug>/sporsmal/", views.question_ask, name="ask"),
    path("<slug:slug>/sporsmal/<int:pk>/svar/", views.question_answer, name="answer"),
    path("<slug:slug>/forslag/", views.proposal_own, name="proposal"),
    path("<slug:slug>/forslag/trekk/", views.proposal_withdraw, name="proposal_withdraw"),
    path("<slug:slug>/forslag/<int:pk>/", views.proposal_view, name="proposal_view"),
    path("<slug:slug>/forslag/<int:pk>/vedlegg/", views.proposal_attachment, name="proposal_attachment"),
    path("<slug:slug>/forslag/<int:pk>/innsyn/", views.proposal_operator_read, name="proposal_operator_read"),
    path("<slug:slug>/vurdering/", views.evaluation, name="evaluation"),
    path("<slug:slug>/vurdering/<int:pk>/", views.proposal_score, name="score"),
    path("<slug:slug>/vurdering/<int:pk>/kortliste/", views.proposal_shortlist, name="shortlist"),
]
