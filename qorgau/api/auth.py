from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from qorgau.agencies.models import ApiToken, User, hash_token

LAST_USED_GRANULARITY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer qg_…`; the token is looked up by its SHA-256, never stored in clear."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


def api_user(request: HttpRequest) -> User:
    """The user TokenAuth authenticated; anything else reaching an endpoint is a wiring error."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("API request without an authenticated user")
    return user
