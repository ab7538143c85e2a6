from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.audit import labels


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_case(self, case_id: int) -> "AuditEventQuerySet":
        return self.filter(case_id=case_id)

    def reads(self) -> "AuditEventQuerySet":
        return self.filter(action__endswith=".read")


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a read or a write of personal data.

    It names the data (object type and id, tier) but never holds it. `hash` is an HMAC, with a key
    kept outside the database, over the previous hash and this event's canonical form; database
    triggers refuse UPDATE and DELETE.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=32, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("case id"), null=True)
    tier = models.PositiveSmallIntegerField(_("tier"), null=True)
    purpose = models.CharField(_("purpose"), max_length=64, blank=True)
    break_glass_id = models.BigIntegerField(_("break-glass grant"), null=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    details = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["case_id", "id"], name="audit_case_idx"),
            models.Index(fields=["actor_id", "id"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def purpose_label(self) -> str:
        return labels.purpose_label(self.purpose)

    @property
    def role_label(self) -> str:
        return labels.role_label(self.role)
