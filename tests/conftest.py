import pytest


@pytest.fixture
def editor(db):
    from .factories import make_user

    return make_user("edith", "Editors")


@pytest.fixture
def reviewer(db):
    from .factories import make_user

    return make_user("rita", "Reviewers")
