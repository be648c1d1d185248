"""`zhifa api_token USERNAME [--revoke]`: issue an API token for a user.

For mobile apps and integrations calling /api/v1/ with
`Authorization: Token …`. Each run replaces the user's token, so a leaked
one is rotated by running the command again; the old token stops working at
once. The token is printed alone on stdout (for scripts). `--revoke` deletes
it without issuing a new one.

The token acts as the user with all their roles: issue it to the person, not
to a shared device, and revoke it when they leave. DRF keeps tokens in the
database as issued (not hashed), so whoever can read the database or the
admin's token page can use them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "为用户签发（或轮换、吊销）接口令牌：zhifa api_token 用户名 [--revoke]。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名（登录名）")
        parser.add_argument("--revoke", action="store_true", help="吊销该用户的令牌，不签发新令牌")

    def handle(self, *args, **options):
        username = options["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        if not options["revoke"] and not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能签发接口令牌。")
        with transaction.atomic():
            revoked = Token.objects.filter(user=user).delete()[0]
            if options["revoke"]:
                if revoked:
                    self.stderr.write(f"已吊销用户“{username}”的接口令牌。")
                else:
                    self.stderr.write(f"用户“{username}”没有接口令牌，无需吊销。")
                return
            token = Token.objects.create(user=user)
        self.stdout.write(token.key)
        note = "旧令牌已失效。" if revoked else ""
        self.stderr.write(
            f"已为用户“{username}”签发接口令牌（{note}请妥善保管，勿写入代码或日志）。"
            "请求头：Authorization: Token <令牌>"
        )
