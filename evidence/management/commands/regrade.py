from django.core.management.base import BaseCommand

from evidence.services import regrade_all


class Command(BaseCommand):
    help = "Recompute every claim's certainty, effect and verdict (idempotent)."

    def handle(self, *args, **options):
        changed = regrade_all()
        self.stdout.write(f"{changed} claim(s) regraded." if changed else "All grades up to date.")
