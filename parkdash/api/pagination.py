"""Pages of a bounded size: ``?page=2&page_size=500`` (at most PARKDASH_API_MAX_PAGE_SIZE); a page or page size
that is not a number is a 400 naming the parameter, a page beyond the last a 404."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def positive_integer(request, name):
    """The query parameter ``name`` as a positive integer, None when absent; a 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or len(raw) > 9:
        raise ValidationError({name: [_("Enter a whole number of 1 or more.")]})
    return int(raw)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.PARKDASH_API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.PARKDASH_API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        size = positive_integer(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [_("At most %(max)s.") % {"max": self.max_page_size}]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param) not in self.last_page_strings:
            positive_integer(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "next", "previous", "results"]
        return described
