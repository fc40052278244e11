"""The project's plumbing: migrations complete, groups in place, settings from the environment."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db
def test_migrations_are_complete():
    # Raises SystemExit(1) if a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_editorial_groups_created_by_migration():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    reviewers = set(
        Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True)
    )
    assert {"add_treatment", "change_treatment", "add_source", "change_finding"} <= editors
    assert "publish_treatment" not in editors and "delete_treatment" not in editors
    assert {"publish_treatment", "publish_source", "delete_treatment"} <= reviewers
    assert editors < reviewers


def _settings_value(expression: str, **env) -> subprocess.CompletedProcess:
    code = (
        f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); \
from django.conf import settings; print(*[{expression}])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_required_without_debug():
    result = _settings_value("settings.SECRET_KEY")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_database_url_and_persistent_connections_from_environment():
    result = _settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['CONN_MAX_AGE']",
        SECRET_KEY="x",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cellucheck",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql 60"
    default = _settings_value("settings.DATABASES['default']['ENGINE']", DEBUG="1")
    assert default.stdout.strip() == "django.db.backends.sqlite3"
