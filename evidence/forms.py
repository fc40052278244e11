from django import forms

from .models import Source


class SourceAdminForm(forms.ModelForm):
    # Wider than the stored columns: curators paste links and "PMID: …"; the model normalises them.
    doi = forms.CharField(
        label="DOI",
        max_length=500,
        required=False,
        help_text=Source._meta.get_field("doi").help_text,
    )
    pmid = forms.CharField(
        label="PMID",
        max_length=100,
        required=False,
        help_text="PubMed ID; “PMID: 123” or a PubMed link also works.",
    )
    url = forms.URLField(
        label="URL",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=Source._meta.get_field("url").help_text,
    )

    class Meta:
        model = Source
        fields = ["doi", "pmid", "url"]  # the admin adds the rest from its fieldsets


CHECK_TEXT_LIMIT = 20_000


class ClaimCheckForm(forms.Form):
    text = forms.CharField(
        label="Paste the clinic's text",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=CHECK_TEXT_LIMIT,
        error_messages={
            "required": "Paste some text first: a clinic's web page, leaflet or advert.",
            "max_length": (
                "That is %(show_value)s characters; the checker reads at most %(limit_value)s. "
                "Paste the part with the claims."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength attribute: a browser would cut a long paste silently; we explain instead.
        self.fields["text"].widget.attrs.pop("maxlength", None)
