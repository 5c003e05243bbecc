from django.conf import settings


def parkdash(request):
    """Settings the base template needs on every page."""
    return {
        "CHARTJS_URL": settings.CHARTJS_URL,
        "CHARTJS_SRI": settings.CHARTJS_SRI,
        "behind_threshold": settings.PARKDASH_BEHIND_THRESHOLD,
    }
