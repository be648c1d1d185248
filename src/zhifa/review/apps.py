from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.review"
    label = "review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        from zhifa.cases import review_hook
        from zhifa.review import gate, home, ledger_actions  # noqa: F401 (home registers on import)

        ledger_actions.register_all()
        # The one provider the case engine's `legal_review_agreed` guard asks.
        review_hook.register(gate.status)
