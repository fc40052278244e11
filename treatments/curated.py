"""Load the curated dataset (data/curated/*.yaml) into the database.

All or nothing: every row is validated with the models' own rules inside one transaction, and any
error rolls everything back and is reported with its file, row and reason. Idempotent: rows are
matched on natural keys and only saved when a value differs, so a second run changes nothing (and
adds nothing to the history).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from evidence.models import Claim, Outcome, Source
from evidence.services import regrade_all, regrading_deferred

from .models import Treatment

DEFAULT_DIR = Path(settings.BASE_DIR) / "data" / "curated"
# libyaml's safe loader when PyYAML was built with it (about ten times faster), else pure Python.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CuratedDataError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the curated data:\n" + "\n".join(errors))


class _Rollback(Exception):
    pass


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())
        )

    def lines(self) -> list[str]:
        names = sorted(
            set(self.created) | set(self.updated) | set(self.deleted) | set(self.unchanged)
        )
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.deleted[name]} deleted, {self.unchanged[name]} unchanged"
            for name in names
        ]


TREATMENT_FIELDS = {
    "name",
    "slug",
    "aliases",
    "status",
    "modality",
    "invasiveness",
    "summary",
    "how_it_works",
    "sessions",
    "downtime_days",
    "pain",
    "results_last",
    "side_effects_status",
    "questions_to_ask",
    "side_effects",
    "regulatory_events",
    "claims",
    "last_reviewed",
}
SOURCE_FIELDS = {
    "key",
    "title",
    "authors",
    "year",
    "journal",
    "doi",
    "pmid",
    "url",
    "design",
    "participants",
    "followup_weeks",
    "outcome_measure",
    "funding",
    "funding_note",
    "risk_of_bias",
    "plain_finding",
    "verified_from",
    "status",
}
CLAIM_FIELDS = {
    "statement",
    "phrases",
    "kind",
    "claimed_by",
    "outcome",
    "main",
    "summary",
    "override",
    "findings",
}
FINDING_FIELDS = {"source", "direction", "effect_size", "effect_text", "indirect", "notes"}
COST_FIELDS = {
    "treatment",
    "region",
    "currency",
    "min",
    "max",
    "unit",
    "price_year",
    "source",
    "notes",
}
SIDE_EFFECT_FIELDS = {
    "kind",
    "name",
    "frequency",
    "percent",
    "severity",
    "duration",
    "source",
    "notes",
}
REGULATORY_FIELDS = {"region", "status", "date", "product", "description", "source"}


class _Loader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.errors: list[str] = []
        self.report = LoadReport()
        self.sources: dict[str, Source] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.treatments: dict[str, Treatment] = {}

    # -- helpers -----------------------------------------------------------------------------

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def read(self, path: Path, top_key: str | None = None) -> Any:
        where = self.where(path)
        try:
            with path.open(encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=YAML_LOADER)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            self.error(where, f"cannot be read as UTF-8 YAML ({exc})")
            return None
        if top_key is None:
            return data
        if not isinstance(data, dict) or not isinstance(data.get(top_key), list):
            self.error(where, f"expected a mapping with a list under “{top_key}”")
            return None
        return data[top_key]

    def where(self, path: Path, index: int | None = None, label: str = "") -> str:
        text = path.name if path.parent == self.directory else f"{path.parent.name}/{path.name}"
        if index is not None:
            text += f" row {index + 1}"
        if label:
            text += f" ({label})"
        return text

    def check_keys(self, where: str, row: Any, allowed: set[str]) -> bool:
        if not isinstance(row, dict):
            self.error(where, "expected a mapping of field: value")
            return False
        unknown = sorted(set(row) - allowed)
        if unknown:
            self.error(where, f"unknown field(s) {', '.join(unknown)}")
            return False
        return True

    def source(self, where: str, key: Any, required: bool = True) -> Source | None:
        if key in (None, ""):
            if required:
                self.error(where, "a source is required")
            return None
        found = self.sources.get(key)
        if found is None:
            self.error(where, f"unknown source key “{key}”")
        return found

    def save(self, where: str, obj: models.Model, values: dict, label: str) -> bool:
        """Apply `values`, validate with the model's rules and save only if something changed."""
        is_new = obj.pk is None
        changed = is_new or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        if not changed:
            self.report.unchanged[label] += 1
            return True
        try:
            # The models' clean() gives every rule a curator-readable message; the database
            # enforces the same constraints on save, so re-checking them here (one query per
            # constraint per row) would only triple the loading time.
            obj.full_clean(validate_constraints=False)
            with transaction.atomic():
                obj.save()
        except ValidationError as exc:
            self.error(where, _describe(exc))
            return False
        except IntegrityError as exc:
            self.error(where, f"rejected by the database ({exc})")
            return False
        (self.report.created if is_new else self.report.updated)[label] += 1
        return True

    def sync_children(self, where: str, existing, wanted: list[tuple[str, dict]], key, label: str):
        """Make a treatment's rows (costs, side effects…) match `wanted`, matching on `key`."""
        by_key = {key(row): row for row in existing.all()}
        keep = set()
        for row_where, values in wanted:
            row_key = key(_Values(values))
            if row_key in keep:
                self.error(row_where, "duplicates another row of the same treatment")
                continue
            keep.add(row_key)
            obj = by_key.get(row_key) or existing.model(**{existing.field.name: existing.instance})
            self.save(row_where, obj, values, label)
        for row_key, obj in by_key.items():
            if row_key not in keep:
                obj.delete()
                self.report.deleted[label] += 1

    # -- loaders -----------------------------------------------------------------------------

    def load_outcomes(self) -> None:
        path = self.directory / "outcomes.yaml"
        for index, row in enumerate(self.read(path, "outcomes") or []):
            where = self.where(path, index)
            if not self.check_keys(where, row, {"slug", "name", "description", "scales"}):
                continue
            obj = Outcome.objects.filter(slug=row.get("slug")).first() or Outcome()
            values = {
                "slug": row.get("slug", ""),
                "name": row.get("name", ""),
                "description": row.get("description", "") or "",
                "scales": row.get("scales", "") or "",
            }
            if self.save(where, obj, values, "outcomes"):
                self.outcomes[obj.slug] = obj

    def load_sources(self) -> None:
        for path in sorted(self.directory.glob("sources-*.yaml")):
            for index, row in enumerate(self.read(path, "sources") or []):
                where = self.where(
                    path, index, (row or {}).get("key", "") if isinstance(row, dict) else ""
                )
                if not self.check_keys(where, row, SOURCE_FIELDS):
                    continue
                key = row.get("key")
                if not key:
                    self.error(where, "every source needs a key")
                    continue
                if key in self.sources:
                    self.error(where, f"the key “{key}” is used twice")
                    continue
                values = {
                    "title": row.get("title", ""),
                    "authors": row.get("authors") or "",
                    "year": row.get("year"),
                    "journal": row.get("journal") or "",
                    "doi": (row.get("doi") or "").strip().lower(),
                    "pmid": str(row.get("pmid") or "").strip(),
                    "url": row.get("url") or "",
                    "design": row.get("design", ""),
                    "participants": row.get("participants"),
                    "followup_weeks": row.get("followup_weeks"),
                    "outcome_measure": row.get("outcome_measure") or "",
                    "funding": row.get("funding") or "not_reported",
                    "funding_note": row.get("funding_note") or "",
                    "risk_of_bias": row.get("risk_of_bias") or "unclear",
                    "plain_finding": row.get("plain_finding") or "",
                    "verified_from": row.get("verified_from") or "",
                    "status": row.get("status") or "published",
                }
                obj = _find_source(values) or Source()
                if self.save(where, obj, values, "sources"):
                    self.sources[key] = obj

    def load_treatments(self) -> None:
        for path in sorted((self.directory / "treatments").glob("*.yaml")):
            row = self.read(path)
            where = self.where(path)
            if not self.check_keys(where, row, TREATMENT_FIELDS):
                continue
            self.load_treatment(path, row)

    def load_treatment(self, path: Path, row: dict) -> None:
        where = self.where(path)
        sessions = row.get("sessions") or {}
        downtime = row.get("downtime_days") or {}
        pain = row.get("pain") or {}
        results = row.get("results_last") or {}
        for part, allowed in (
            (sessions, {"min", "max", "interval", "minutes", "source"}),
            (downtime, {"min", "max", "source"}),
            (pain, {"score", "text", "source"}),
            (results, {"text", "months", "source"}),
        ):
            if not self.check_keys(where, part, allowed):
                return
        values = {
            "name": row.get("name", ""),
            "slug": row.get("slug", ""),
            "aliases": "\n".join(row.get("aliases") or []),
            "status": row.get("status") or "draft",
            "modality": row.get("modality", ""),
            "invasiveness": row.get("invasiveness", ""),
            "summary": row.get("summary", "") or "",
            "how_it_works": row.get("how_it_works", "") or "",
            "sessions_min": sessions.get("min"),
            "sessions_max": sessions.get("max"),
            "session_interval": sessions.get("interval") or "",
            "session_minutes": sessions.get("minutes"),
            "sessions_source": self.source(where + " sessions", sessions.get("source"), False),
            "downtime_days_min": downtime.get("min"),
            "downtime_days_max": downtime.get("max"),
            "downtime_source": self.source(where + " downtime", downtime.get("source"), False),
            "pain_score": _decimal(pain.get("score")),
            "pain": pain.get("text") or "",
            "pain_source": self.source(where + " pain", pain.get("source"), False),
            "results_last": results.get("text") or "",
            "results_last_months": results.get("months"),
            "results_last_source": self.source(
                where + " results_last", results.get("source"), False
            ),
            "side_effects_status": row.get("side_effects_status") or "listed",
            "questions_to_ask": "\n".join(row.get("questions_to_ask") or []),
        }
        treatment = Treatment.objects.filter(slug=values["slug"]).first() or Treatment()
        if values["status"] == "published" and treatment.last_reviewed is None:
            values["last_reviewed"] = _date(row.get("last_reviewed")) or datetime.date.today()
        elif row.get("last_reviewed"):
            values["last_reviewed"] = _date(row.get("last_reviewed"))
        if not self.save(where, treatment, values, "treatments"):
            return
        self.treatments[treatment.slug] = treatment
        self.load_side_effects(path, treatment, row.get("side_effects") or [])
        self.load_regulatory(path, treatment, row.get("regulatory_events") or [])
        self.load_claims(path, treatment, row.get("claims") or [])

    def load_side_effects(self, path: Path, treatment: Treatment, rows: list) -> None:
        wanted = []
        for index, row in enumerate(rows):
            where = self.where(path, index, "side effect")
            if not self.check_keys(where, row, SIDE_EFFECT_FIELDS):
                continue
            wanted.append(
                (
                    where,
                    {
                        "kind": row.get("kind", ""),
                        "name": row.get("name", ""),
                        "frequency": row.get("frequency") or "not_reported",
                        "frequency_percent": _decimal(row.get("percent")),
                        "severity": row.get("severity") or "unknown",
                        "duration": row.get("duration") or "",
                        "source": self.source(where, row.get("source"), required=False),
                        "notes": row.get("notes") or "",
                    },
                )
            )
        self.sync_children(
            self.where(path),
            treatment.side_effects,
            wanted,
            lambda r: (r.kind, r.name),
            "side effects",
        )

    def load_regulatory(self, path: Path, treatment: Treatment, rows: list) -> None:
        wanted = []
        for index, row in enumerate(rows):
            where = self.where(path, index, "regulatory event")
            if not self.check_keys(where, row, REGULATORY_FIELDS):
                continue
            wanted.append(
                (
                    where,
                    {
                        "region": row.get("region", ""),
                        "status": row.get("status", ""),
                        "date": _date(row.get("date")),
                        "product": row.get("product") or "",
                        "description": row.get("description") or "",
                        "source": self.source(where, row.get("source")),
                    },
                )
            )
        self.sync_children(
            self.where(path),
            treatment.regulatory_events,
            wanted,
            lambda r: (r.region, r.status, r.date),
            "regulatory events",
        )

    def load_claims(self, path: Path, treatment: Treatment, rows: list) -> None:
        existing = {claim.statement: claim for claim in treatment.claims.all()}
        seen = set()
        for index, row in enumerate(rows):
            where = self.where(path, index, f"claim “{(row or {}).get('statement', '')}”")
            if not self.check_keys(where, row, CLAIM_FIELDS):
                continue
            override = row.get("override") or {}
            if not self.check_keys(where, override, {"certainty", "verdict", "rationale"}):
                continue
            outcome_slug = row.get("outcome")
            outcome = self.outcomes.get(outcome_slug) if outcome_slug else None
            if outcome_slug and outcome is None:
                self.error(where, f"unknown outcome “{outcome_slug}”")
                continue
            statement = row.get("statement", "")
            seen.add(statement)
            claim = existing.get(statement) or Claim(treatment=treatment)
            values = {
                "statement": statement,
                "phrases": "\n".join(row.get("phrases") or []),
                "kind": row.get("kind") or "efficacy",
                "claimed_by": row.get("claimed_by") or "clinics",
                "outcome": outcome,
                "is_main": bool(row.get("main", False)),
                "summary": row.get("summary") or "",
                "position": index,
                "certainty_override": override.get("certainty") or "",
                "verdict_override": override.get("verdict") or "",
                "override_rationale": override.get("rationale") or "",
            }
            if self.save(where, claim, values, "claims"):
                self.load_findings(where, claim, row.get("findings") or [])
        for statement, claim in existing.items():
            if statement not in seen:
                claim.delete()
                self.report.deleted["claims"] += 1

    def load_findings(self, claim_where: str, claim: Claim, rows: list) -> None:
        wanted = []
        for index, row in enumerate(rows):
            where = f"{claim_where} finding {index + 1}"
            if not self.check_keys(where, row, FINDING_FIELDS):
                continue
            wanted.append(
                (
                    where,
                    {
                        "source": self.source(where, row.get("source")),
                        "direction": row.get("direction", ""),
                        "effect_size": row.get("effect_size") or "unknown",
                        "effect_text": row.get("effect_text") or "",
                        "indirect": bool(row.get("indirect", False)),
                        "notes": row.get("notes") or "",
                    },
                )
            )
        self.sync_children(claim_where, claim.findings, wanted, lambda r: r.source_id, "findings")

    def load_costs(self) -> None:
        path = self.directory / "costs.yaml"
        if not path.exists():
            return
        wanted_by_treatment: dict[str, list] = {slug: [] for slug in self.treatments}
        for index, row in enumerate(self.read(path, "costs") or []):
            where = self.where(path, index)
            if not self.check_keys(where, row, COST_FIELDS):
                continue
            slug = row.get("treatment")
            if slug not in self.treatments:
                self.error(where, f"unknown treatment “{slug}”")
                continue
            wanted_by_treatment[slug].append(
                (
                    where,
                    {
                        "region": row.get("region", ""),
                        "currency": str(row.get("currency", "")),
                        "min_amount": _decimal(row.get("min")),
                        "max_amount": _decimal(row.get("max")),
                        "unit": row.get("unit") or "per_session",
                        "price_year": row.get("price_year"),
                        "source": self.source(where, row.get("source")),
                        "notes": row.get("notes") or "",
                    },
                )
            )
        for slug, wanted in wanted_by_treatment.items():
            self.sync_children(
                self.where(path),
                self.treatments[slug].costs,
                wanted,
                lambda r: (r.region, r.currency, r.unit, r.source_id, r.min_amount, r.max_amount),
                "costs",
            )


class _Values:
    """Lets a dict of wanted values be keyed like a model instance (attribute access, FK ids)."""

    def __init__(self, values: dict):
        self._values = values

    def __getattr__(self, name):
        if name.endswith("_id") and name[:-3] in self._values:
            related = self._values[name[:-3]]
            return related.pk if related is not None else None
        return self._values[name]


def _find_source(values: dict) -> Source | None:
    for field_name in ("doi", "pmid", "url"):
        if values[field_name]:
            found = Source.objects.filter(**{field_name: values[field_name]}).first()
            if found:
                return found
    return None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return value  # left for full_clean to reject with a clear message


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return value  # full_clean reports "invalid date format"


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def load_curated(directory: Path = DEFAULT_DIR, dry_run: bool = False) -> LoadReport:
    """Load everything or nothing; raise CuratedDataError listing every problem found."""
    loader = _Loader(Path(directory))
    try:
        with transaction.atomic(), regrading_deferred():
            loader.load_outcomes()
            loader.load_sources()
            loader.load_treatments()
            loader.load_costs()
            if loader.errors:
                raise CuratedDataError(loader.errors)
            regrade_all()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return loader.report
