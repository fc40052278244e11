import time

from django.core.management.base import BaseCommand, CommandError

from treatments import synthetic


class Command(BaseCommand):
    help = (
        "Generate a large, plainly fake dataset for benchmarks and scale tests: treatments named "
        "“[Synthetic] …” (slugs synthetic-…), studies with DOIs 10.5555/synthetic.<n>. Curated "
        "rows are never touched; the same --seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--treatments", type=int, default=1000, help="Default 1,000.")
        parser.add_argument("--studies", type=int, default=10000, help="Default 10,000.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data (default 1).")
        parser.add_argument(
            "--claims-per-treatment",
            type=int,
            default=None,
            help=f"Claims on every treatment, 1 to {synthetic.MAX_CLAIMS} (default 4 to 8).",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete earlier synthetic rows first (and only them).",
        )
        parser.add_argument(
            "--clear-only",
            action="store_true",
            help="Delete every synthetic row and generate nothing.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write everything in a transaction (every constraint checked), then roll back.",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            if options["clear_only"]:
                cleared, created = synthetic.clear(), synthetic.Counts()
            else:
                cleared, created = synthetic.generate(
                    treatments=options["treatments"],
                    studies=options["studies"],
                    seed=options["seed"],
                    claims_per_treatment=options["claims_per_treatment"],
                    replace=options["clear"],
                    dry_run=options["dry_run"],
                )
        except synthetic.SyntheticDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        if any(vars(cleared).values()):
            self.stdout.write(f"Cleared synthetic data: {cleared.describe()}.")
        if any(vars(created).values()):
            verb = "Would create" if options["dry_run"] else "Created"
            self.stdout.write(f"{verb} {created.describe()}.")
        if options["dry_run"]:
            self.stdout.write(self.style.SUCCESS("Dry run: everything rolled back."))
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
