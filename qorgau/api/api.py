from typing import Any

from ninja import NinjaAPI

from qorgau.api.auth import TokenAuth
from qorgau.api.errors import install

api = NinjaAPI(
    title="Qorgau API",
    version="1",
    description="Children, cases and agencies, under the same access rules and audit as the pages.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
install(api)


def _register_routers() -> None:
    from qorgau.agencies.api import router as agencies_router
    from qorgau.best_interests.api import router as best_interests_router
    from qorgau.cases.api import router as cases_router
    from qorgau.concerns.api import router as concerns_router
    from qorgau.guardianship.api import router as guardianship_router
    from qorgau.plans.api import router as plans_router
    from qorgau.protection.api import router as protection_router
    from qorgau.referrals.api import router as referrals_router
    from qorgau.reviews.api import router as reviews_router
    from qorgau.screening.api import router as screening_router

    api.add_router("/", agencies_router)
    api.add_router("/", cases_router)
    api.add_router("/", referrals_router)
    api.add_router("/", protection_router)
    api.add_router("/", guardianship_router)
    api.add_router("/", best_interests_router)
    api.add_router("/", plans_router)
    api.add_router("/", reviews_router)
    api.add_router("/", screening_router)
    api.add_router("/", concerns_router)


_register_routers()


def urls() -> Any:
    """The API's URL patterns, exempt from the login redirect: every operation authenticates by token."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace
