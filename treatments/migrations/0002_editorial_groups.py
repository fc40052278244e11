"""Create the two editorial groups: Editors draft and submit; Reviewers also publish and retire."""

from django.db import migrations

CURATED_MODELS = {
    "treatments": ["treatment", "costestimate", "sideeffect", "regulatoryevent"],
    "evidence": ["source", "outcome", "claim", "finding"],
}
EDITOR_ACTIONS = ["view", "add", "change"]
# Editors may remove rows inside a treatment (a wrong price), not whole treatments or sources.
EDITOR_DELETABLE = {"costestimate", "sideeffect", "regulatoryevent", "claim", "finding"}
REVIEWER_EXTRA = ["treatments.publish_treatment", "evidence.publish_source"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this migration needs them now.
    for app_label in ("treatments", "evidence"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    editor_perms, reviewer_perms = [], []
    for app_label, models in CURATED_MODELS.items():
        for model in models:
            for action in EDITOR_ACTIONS:
                editor_perms.append(perm(app_label, f"{action}_{model}"))
            if model in EDITOR_DELETABLE:
                editor_perms.append(perm(app_label, f"delete_{model}"))
            reviewer_perms.append(perm(app_label, f"delete_{model}"))
    reviewer_perms += editor_perms
    reviewer_perms += [perm(*name.split(".")) for name in REVIEWER_EXTRA]

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(editor_perms)
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set(set(reviewer_perms))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("treatments", "0001_initial"),
        ("evidence", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
