from django.apps import AppConfig

# Role names as strings (orgs.Role values); the core registry knows no apps.
AGENCY_ROLES = ["officer", "auxiliary", "unit_head", "legal_reviewer", "agency_head"]


def checkpoint_job() -> str:
    """`zhifa worker`'s job: checkpoint_create, with a summary for the run's
    record (a witness's refusal is reported, as `zhifa ledger checkpoint` does,
    not failed: the checkpoint itself is signed)."""
    from zhifa.ledger.checkpoints import checkpoint_create

    result = checkpoint_create()
    if result is None:
        return "日志没有增长，未签署新检查点"
    lines = [f"已签署检查点：{result.checkpoint.tree_size} 条记录"]
    lines += [f"已由 {name} 联署" for name in result.cosigned_by]
    lines += [f"见证拒绝联署：{error}" for error in result.witness_errors]
    return "；".join(lines)


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    verbose_name = "全过程记录"

    def ready(self) -> None:
        from django.conf import settings

        from zhifa.core.home import Action, register_action
        from zhifa.jobs import registry

        # Run by `zhifa worker`, after the jobs that record (order), so what
        # they recorded is signed in the same pass. checkpoint_create opens
        # its own durable transactions, so it must not run inside one.
        registry.register(
            "ledger.checkpoint",
            "签署检查点",
            every=settings.ZHIFA_CHECKPOINT_INTERVAL,
            func="zhifa.ledger.apps.checkpoint_job",
            atomic=False,
            order=100,
        )

        register_action(
            AGENCY_ROLES,
            Action("上传证据", "ledger:evidence_upload", "拍照、录像、录音或扫描件，上传即存证"),
        )
        register_action(
            ["officer", "auxiliary", "unit_head", "legal_reviewer", "agency_head", "supervisor"],
            Action("记录核验", "ledger:verify", "核验存证回执"),
        )
