from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .claim_check import check_text, highlight_segments
from .filters import SourceFilter
from .forms import CHECK_TEXT_LIMIT, ClaimCheckForm
from .models import Source

STUDIES_PAGE_SIZE = 30


def source_list(request):
    queryset = Source.objects.for_study_pages()
    # Always bound, so that the default order (newest first) comes from the filter too.
    filterset = SourceFilter(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    results = filterset.qs
    page = Paginator(results, STUDIES_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/source_list.html",
        {"filter": filterset, "page": page, "query_without_page": query.urlencode()},
        status=200 if valid else 400,
    )


def source_detail(request, pk):
    source = get_object_or_404(
        Source.objects.for_study_pages(),
        pk=pk,
    )
    return render(request, "evidence/source_detail.html", {"source": source})


def claim_check(request):
    form = ClaimCheckForm(request.POST or None)
    context = {"form": form, "limit": CHECK_TEXT_LIMIT}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            text = form.cleaned_data["text"]
            result, reports = check_text(text)
            context.update(
                result=result,
                reports=reports,
                segments=highlight_segments(text, list(result.matches)),
            )
        else:
            status = 400
    return render(request, "evidence/claim_check.html", context, status=status)
