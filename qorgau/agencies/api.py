from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from qorgau.agencies.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    type: str
    ministry: str
    region: str
    is_first_responder: bool
    is_service_provider: bool
    services: list[str]
    capacity: int | None
    accessibility: list[str]

    @staticmethod
    def from_org(org: Organisation) -> "OrganisationOut":
        return OrganisationOut(
            id=org.pk,
            name=org.name,
            name_kk=org.name_kk,
            name_ru=org.name_ru,
            name_en=org.name_en,
            type=org.type.code,
            ministry=org.ministry,
            region=org.region.code,
            is_first_responder=org.is_first_responder,
            is_service_provider=org.is_service_provider,
            services=org.services,
            capacity=org.capacity,
            accessibility=org.accessibility,
        )


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="List organisations (directory, no personal data)",
)
def list_organisations(
    request: HttpRequest, region: str = "", service: str = ""
) -> list[OrganisationOut]:
    rows = Organisation.objects.filter(is_active=True).select_related("type", "region")
    if region:
        rows = rows.filter(region__code=region)
    orgs = [o for o in rows if not service or service in o.services]
    return [OrganisationOut.from_org(o) for o in orgs]


@router.get(
    "/organisations/{org_id}", response=OrganisationOut, summary="One organisation"
)
def get_organisation(request: HttpRequest, org_id: int) -> OrganisationOut:
    org = get_object_or_404(
        Organisation.objects.select_related("type", "region"), pk=org_id, is_active=True
    )
    return OrganisationOut.from_org(org)
