from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.disclosure"
    label = "disclosure"
    verbose_name = "事后公开"

    def ready(self) -> None:
        from zhifa.cases import events
        from zhifa.disclosure import home, ledger_actions, receivers  # noqa: F401
        from zhifa.jobs import registry

        ledger_actions.register_all()
        # Removal at the end of the period is automatic (PUB-07, PUB-12,
        # PUB-13), run by `zhifa worker`. Each removal commits with its ledger
        # record, so one bad publication does not hold back the others.
        registry.register(
            "disclosure.expire",
            "公示期届满停止公示",
            daily_at="00:10",
            func="zhifa.disclosure.services.publications_expire",
            atomic=False,
        )
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
