"""Admin: legal review rows are read, never written here.

Every change goes through `zhifa.review.services` (with its checks and its
ledger record), so the admin only lists and shows, scoped to what the user
may see; nothing can be added, changed or deleted.
"""

from __future__ import annotations

from django.contrib import admin

from zhifa.orgs.scope import Scope
from zhifa.review.models import (
    Disagreement,
    ReviewerConflict,
    ReviewerExperience,
    ReviewOpinion,
    ReviewPolicy,
    ReviewRequest,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    # The path from the row to its agency, for scoping.
    agency_path = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = Scope.of(request.user)
        if scope.everything:
            return qs
        path = self.agency_path
        return qs.filter(scope.q(agency=f"{path}_id", region_code=f"{path}__region__code"))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyAdmin):
    list_display = ("case", "round", "status", "reviewer", "submitted_on", "due_on")
    list_filter = ("status",)
    search_fields = ("case__number", "case__title")


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(ReadOnlyAdmin):
    agency_path = "request__agency"
    list_display = ("request", "result", "reviewer", "opinion_on", "document")
    list_filter = ("result",)


@admin.register(Disagreement)
class DisagreementAdmin(ReadOnlyAdmin):
    agency_path = "request__agency"
    list_display = ("request", "raised_on", "via", "outcome", "decided_on")


@admin.register(ReviewerConflict)
class ReviewerConflictAdmin(ReadOnlyAdmin):
    list_display = ("case", "reviewer", "declared_on")


@admin.register(ReviewerExperience)
class ReviewerExperienceAdmin(ReadOnlyAdmin):
    list_display = ("reviewer", "agency", "since", "recorded_on")


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(ReadOnlyAdmin):
    list_display = (
        "agency",
        "time_limit_working_days",
        "extension_max_working_days",
        "reviewer_ratio",
    )
