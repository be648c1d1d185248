from django.urls import path

from zhifa.review import views, views_actions, views_head

app_name = "review"
urlpatterns = [
    path("staff/review/", views.queue, name="queue"),
    path("staff/review/cases/<int:case_pk>/", views.case_reviews, name="case"),
    path("staff/review/cases/<int:case_pk>/submit/", views.submit, name="submit"),
    path("staff/review/<int:pk>/", views.detail, name="detail"),
    path("staff/review/<int:pk>/assign/", views_actions.assign, name="assign"),
    path("staff/review/<int:pk>/claim/", views_actions.claim, name="claim"),
    path("staff/review/<int:pk>/return/", views_actions.return_incomplete, name="return"),
    path("staff/review/<int:pk>/conflict/", views_actions.conflict, name="conflict"),
    path("staff/review/<int:pk>/opinion/", views_actions.opinion, name="opinion"),
    path("staff/review/<int:pk>/extend/", views_actions.extend, name="extend"),
    path("staff/review/<int:pk>/dispute/", views_actions.dispute, name="dispute"),
    path("staff/review/<int:pk>/resolve/", views_head.resolve, name="resolve"),
    path("staff/review/figures/", views_head.figures, name="figures"),
    path("staff/review/policy/", views_head.policy, name="policy"),
]
