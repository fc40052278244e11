"""The public pages the browser tests visit, and how to reach each one."""

from dataclasses import dataclass

from evidence.models import Source

MESOTHERAPY_ADVERT = (
    "Say goodbye to orange-peel skin! Our signature mesotherapy cocktail melts fat where diet "
    "and exercise can't reach. The micro-injections improve circulation and flush out toxins, "
    "so your thighs look smoother and firmer.\n\n"
    "The treatment is virtually painless and you can go straight back to work. Most clients "
    "see results after a couple of sessions — book a course of ten today!"
)

COMPARE_THREE = "/compare/?t=mesotherapy&t=manual-subcision&t=radiofrequency"


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200
    pasted_text: str = ""  # claim checker pages are reached by submitting this text

    def open(self, page):
        response = page.goto(self.path)
        if self.pasted_text:
            page.get_by_label("Paste the clinic's text").fill(self.pasted_text)
            with page.expect_navigation() as navigation:
                page.get_by_role("button", name="Check the claims").click()
            response = navigation.value
        assert response.status == self.status, f"{self.path} answered {response.status}"


def public_pages() -> list[PublicPage]:
    """Every page type a visitor meets (needs the database: one study page is looked up)."""
    study = Source.objects.published().filter(findings__isnull=False).order_by("pk").first()
    return [
        PublicPage("home", "/"),
        PublicPage("treatments", "/treatments/"),
        PublicPage(
            "treatments-invalid", "/treatments/?min_certainty=banana&max_cost=-5", status=400
        ),
        PublicPage("treatment-detail", "/treatments/mesotherapy/"),
        PublicPage("compare", COMPARE_THREE),
        PublicPage("claim-check", "/claims/check/", pasted_text=MESOTHERAPY_ADVERT),
        PublicPage("studies", "/studies/"),
        PublicPage("study-detail", study.get_absolute_url()),
        PublicPage("methodology", "/methodology/"),
    ]
