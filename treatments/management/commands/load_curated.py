from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treatments.curated import DEFAULT_DIR, CuratedDataError, load_curated


class Command(BaseCommand):
    help = (
        "Load the curated dataset from data/curated (all or nothing; a second run changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="Folder of YAML files.")
        parser.add_argument(
            "--check",
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="Validate everything against the models and the database, then roll back.",
        )

    def handle(self, *args, dir: Path, dry_run: bool, verbosity: int, **options):
        try:
            report = load_curated(dir, dry_run=dry_run)
        except CuratedDataError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity < 1:
            return
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Curated data is valid (nothing written)."))
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Curated data loaded."))
        else:
            self.stdout.write("Curated data already up to date: nothing changed.")
