from django.http import HttpResponse


def health(request):
    """Liveness for load balancers, and the trivial baseline view the benchmark compares to."""
    return HttpResponse("ok", content_type="text/plain")
