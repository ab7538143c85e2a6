from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from qorgau.audit.services import record_event
from qorgau.lib import crypto
from qorgau.lib.fields import EnvelopeEncrypted


def encrypted_models() -> list[type[EnvelopeEncrypted]]:
    """Every model whose rows carry a wrapped data key: children, notes, referrals, decisions,
    plans … found from the models themselves, so that a new one cannot be left behind."""
    return [
        m
        for m in apps.get_models()
        if issubclass(m, EnvelopeEncrypted) and not m._meta.proxy
    ]


def wrapped_by_old_keys(
    model: type[EnvelopeEncrypted], ring: crypto.Keyring
) -> models.QuerySet[Any]:
    """Rows whose data key is wrapped by another master key (rows with nothing encrypted
    have no data key at all)."""
    return model._default_manager.exclude(kek_id=ring.active_kek_id).exclude(kek_id="")


class Command(BaseCommand):
    help = (
        "Adds a new master key, makes it active and re-wraps every data key with it in batches. "
        "Values are not re-encrypted. Old keys stay for decryption until --retire removes them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Re-wrap what remains, without a new key.",
        )
        parser.add_argument(
            "--retire",
            action="store_true",
            help="Drop master keys that no row uses any more.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["resume"] and not options["retire"]:
            kek_id = crypto.add_master_key()
            self.stdout.write(f"New master key {kek_id} is active.")
        ring = crypto.keyring()
        if not options["retire"]:
            for model in encrypted_models():
                done = self.rewrap(model, ring, options["batch"])
                self.stdout.write(f"{model._meta.label}: {done} data keys re-wrapped.")
            record_event(
                "keyring.rotate",
                by=None,
                object_type="keyring",
                object_id=ring.active_kek_id,
            )
        remaining = sum(
            wrapped_by_old_keys(m, ring).count() for m in encrypted_models()
        )
        self.stdout.write(f"Rows still wrapped by an old master key: {remaining}.")
        if options["retire"]:
            if remaining:
                raise CommandError(
                    "Old master keys are still in use: run with --resume first."
                )
            crypto.retire_master_keys()
            self.stdout.write("Old master keys removed from the keyring.")

    def rewrap(
        self, model: type[EnvelopeEncrypted], ring: crypto.Keyring, batch: int
    ) -> int:
        done = 0
        while True:
            rows = list(
                wrapped_by_old_keys(model, ring).values_list(
                    "pk", "kek_id", "wrapped_key"
                )[:batch]
            )
            if not rows:
                return done
            with transaction.atomic():
                for pk, kek_id, wrapped in rows:
                    owner = f"{model._meta.db_table}:{pk}"
                    dek = crypto.unwrap_data_key(
                        bytes(wrapped or b""), kek_id=kek_id, owner=owner, ring=ring
                    )
                    new_id, new_wrapped = crypto.wrap_data_key(
                        dek, owner=owner, ring=ring
                    )
                    model._default_manager.filter(pk=pk, kek_id=kek_id).update(
                        kek_id=new_id, wrapped_key=new_wrapped
                    )
            done += len(rows)
