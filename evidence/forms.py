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
