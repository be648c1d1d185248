from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "事后公开"

    def ready(self) -> None:
        from zhifa.cases import events
        from zhifa.disclosure import home, ledger_actions, receivers  # noqa: F401

        ledger_actions.register_all()
        # The case engine sends these after its transaction commits; a lower
        # app never imports this one (architecture.md, "The spine").
        events.decision_made.connect(
            receivers.on_decision_made, dispatch_uid="disclosure.decision_made"
        )
        events.decision_changed.connect(
            receivers.on_decision_overturned, dispatch_uid="disclosure.decision_changed"
        )
        events.decision_revoked.connect(
            receivers.on_decision_overturned, dispatch_uid="disclosure.decision_revoked"
        )
