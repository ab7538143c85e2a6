"""Who is responsible for each review and follow-up: the case owner, as the sweeps already told."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def owners_are_responsible(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    owner = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("owner_id")[:1])
    for name in ("CaseReview", "FollowUp"):
        apps.get_model("reviews", name).objects.update(responsible_id=owner)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="responsible",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible",
            ),
        )
        for model in ("casereview", "followup")
    ] + [
        migrations.RunPython(owners_are_responsible, migrations.RunPython.noop),
    ] + [
        migrations.AlterField(
            model_name=model,
            name="responsible",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="responsible",
            ),
        )
        for model in ("casereview", "followup")
    ] + [
        migrations.AddIndex(
            model_name="casereview",
            index=models.Index(
                condition=models.Q(("status", "scheduled")),
                fields=["responsible", "due_on"],
                name="review_responsible_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status", "scheduled")),
                fields=["responsible", "due_on"],
                name="follow_up_responsible_due_idx",
            ),
        ),
    ]
