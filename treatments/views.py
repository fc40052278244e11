from django.shortcuts import get_object_or_404, render

from .models import Treatment


def home(request):
    treatments = Treatment.objects.published().only("name", "slug", "summary")
    return render(request, "treatments/home.html", {"treatments": treatments})


def treatment_detail(request, slug):
    treatment = get_object_or_404(Treatment.objects.published(), slug=slug)
    return render(request, "treatments/detail.html", {"treatment": treatment})
