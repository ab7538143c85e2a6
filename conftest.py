"""Test-wide set-up: a keyring of its own in a temporary folder, and Debian's chromium for Playwright."""

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    from qorgau.lib.crypto import generate_keyring_data, write_keyring_file

    path = Path(tempfile.mkdtemp(prefix="qorgau-test-keys-")) / "keyring.json"
    write_keyring_file(path, generate_keyring_data())
    settings.QORGAU_KEYRING_FILE = path
    # TransactionTestCase and live_server empty the database between tests, audit trail included.
    settings.QORGAU_ALLOW_AUDIT_FLUSH = True
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, object],
) -> dict[str, object]:
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium"}
