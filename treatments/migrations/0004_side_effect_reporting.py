from django.db import migrations, models

STATUS_FIELD = models.CharField(
    choices=[
        ("listed", "Side effects are listed"),
        ("none_reported", "Studies reported no side effects"),
        ("no_data", "No source we reviewed reports on side effects"),
    ],
    default="listed",
    help_text="“Studies reported no side effects” is not the same as “no data”.",
    max_length=16,
    verbose_name="side-effect reporting",
)


def flag_to_status(apps, schema_editor):
    Treatment = apps.get_model("treatments", "Treatment")
    Treatment.objects.filter(no_side_effects_reported=True).update(
        side_effects_status="none_reported"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0003_regulatory_status_other_use"),
    ]

    operations = [
        migrations.AddField("historicaltreatment", "side_effects_status", STATUS_FIELD),
        migrations.AddField("treatment", "side_effects_status", STATUS_FIELD.clone()),
        migrations.RunPython(flag_to_status, migrations.RunPython.noop),
        migrations.RemoveField("historicaltreatment", "no_side_effects_reported"),
        migrations.RemoveField("treatment", "no_side_effects_reported"),
    ]
