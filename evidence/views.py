from django.shortcuts import get_object_or_404, render

from .models import Source


def source_detail(request, pk):
    source = get_object_or_404(Source.objects.published(), pk=pk)
    return render(request, "evidence/source_detail.html", {"source": source})
