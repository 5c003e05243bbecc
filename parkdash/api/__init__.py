"""The REST API at /api/v1/ (Django REST framework): read endpoints scoped to the user's parks, figure writes
through parkdash.indicators.entry, token and session authentication, throttling, JSON errors, the OpenAPI schema."""
