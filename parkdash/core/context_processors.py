from django.conf import settings


def parkdash(request):
    """Settings the base template needs on every page."""
    return {
        "CHARTJS_URL": settings.CHARTJS_URL,
        "CHARTJS_SRI": settings.CHARTJS_SRI,
    }
