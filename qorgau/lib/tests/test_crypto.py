from django.test import SimpleTestCase

from qorgau.lib import crypto


class EnvelopeEncryptionTests(SimpleTestCase):
    def test_it_round_trips_a_value_with_its_own_data_key(self) -> None:
        dek = crypto.new_data_key()
        blob = crypto.encrypt_value("Жанар", dek, "cases_person:1:given_name")
        self.assertEqual(
            crypto.decrypt_value(blob, dek, "cases_person:1:given_name"), "Жанар"
        )
        self.assertNotIn("Жанар".encode(), blob)

    def test_it_refuses_a_value_copied_to_another_row(self) -> None:
        dek = crypto.new_data_key()
        blob = crypto.encrypt_value("Жанар", dek, "cases_person:1:given_name")
        with self.assertRaisesMessage(crypto.DecryptionError, "failed authentication"):
            crypto.decrypt_value(blob, dek, "cases_person:2:given_name")

    def test_it_fails_closed_with_a_wrong_key(self) -> None:
        blob = crypto.encrypt_value("Жанар", crypto.new_data_key(), "x")
        with self.assertRaisesMessage(crypto.DecryptionError, "failed authentication"):
            crypto.decrypt_value(blob, crypto.new_data_key(), "x")

    def test_it_refuses_an_unknown_format(self) -> None:
        dek = crypto.new_data_key()
        blob = bytearray(crypto.encrypt_value("Жанар", dek, "x"))
        blob[0] = 9
        with self.assertRaisesMessage(
            crypto.DecryptionError, "unknown ciphertext format"
        ):
            crypto.decrypt_value(bytes(blob), dek, "x")

    def test_it_wraps_data_keys_with_the_active_master_key(self) -> None:
        dek = crypto.new_data_key()
        kek_id, wrapped = crypto.wrap_data_key(dek, owner="cases_person:1")
        self.assertEqual(kek_id, crypto.keyring().active_kek_id)
        self.assertEqual(
            crypto.unwrap_data_key(wrapped, kek_id=kek_id, owner="cases_person:1"), dek
        )
        with self.assertRaises(crypto.DecryptionError):
            crypto.unwrap_data_key(
                wrapped, kek_id="kek-unknown", owner="cases_person:1"
            )

    def test_it_gives_a_short_stable_blind_index_per_column(self) -> None:
        a = crypto.blind_index("janar", "person.name")
        self.assertEqual(a, crypto.blind_index("janar", "person.name"))
        self.assertEqual(len(a), 8)
        self.assertNotEqual(a, crypto.blind_index("janar", "person.iin"))
