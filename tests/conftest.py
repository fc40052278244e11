import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test sees the curated dataset, as a visitor would.

    Loaded once per run; each test's transaction is rolled back, so the data stays intact.
    Transactional tests (live server, browser) flush the tables and must reload it: use the
    `curated_transactional_db` fixture.
    """
    with django_db_blocker.unblock():
        call_command("load_curated", verbosity=0)


@pytest.fixture
def curated_transactional_db(transactional_db):
    call_command("load_curated", verbosity=0)


@pytest.fixture
def editor(db):
    from .factories import make_user

    return make_user("edith", "Editors")


@pytest.fixture
def reviewer(db):
    from .factories import make_user

    return make_user("rita", "Reviewers")
