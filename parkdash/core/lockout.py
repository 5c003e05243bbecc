"""django-axes with two limits: per user name and address, and per address whatever the user names.

django-axes counts failed logins for each combination in AXES_LOCKOUT_PARAMETERS and compares the largest count
with one limit, AXES_FAILURE_LIMIT. ParkDash wants a higher limit for the address alone: a password-spraying
client tries one or two passwords for many user names, each staying under the per-user limit, while an office
behind one NAT address shares that address among all its users' typos.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    """AxesDatabaseHandler, plus a lockout of the client address after PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT
    failed logins from it within the cool-off time, counted across user names (0 turns it off)."""

    def address_failures(self, request, credentials=None):
        """Failed logins from the request's address, every user name, within the cool-off time."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def get_failures(self, request, credentials=None):
        """The count django-axes compares with AXES_FAILURE_LIMIT: the user name and address's own count, raised to
        that limit when the address as a whole has reached its limit."""
        failures = super().get_failures(request, credentials)
        request.parkdash_address_locked = False
        address_limit = settings.PARKDASH_LOGIN_ADDRESS_FAILURE_LIMIT
        if address_limit and self.address_failures(request, credentials) >= address_limit:
            request.parkdash_address_locked = True
            failures = max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_user_attempts(self, request, credentials=None):
        """A successful login forgives that user's own failures from this address, and only those: neither other
        user names' failures nor the address's count as a whole (a sprayer with one valid account could otherwise
        reset it at will)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
