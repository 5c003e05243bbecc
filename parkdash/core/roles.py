"""The three roles, as Django groups: viewer, editor, administrator.

- viewer: browse and export the parks they are a member of.
- editor: also enter, import and apply work summaries for those parks (needs "staff status" for the admin).
- administrator: everything, for every park, including the indicator catalogue, parks and users.
"""

VIEWER, EDITOR, ADMINISTRATOR = "viewer", "editor", "administrator"

DOMAIN_MODELS = {
    "parks": ["park", "zone"],
    "indicators": ["indicator", "figure"],
    "projects": ["project", "projectupdate"],
    "enterprises": ["enterprise"],
    "infrastructure": ["infrastructurework"],
    "intake": ["worksummary"],
    "reports": ["reportline", "wording"],
}
# What an editor may enter for their parks; the catalogue, parks and zones stay with administrators.
EDITABLE = {
    "indicators": ["figure"],
    "projects": ["project", "projectupdate"],
    "enterprises": ["enterprise"],
    "infrastructure": ["infrastructurework"],
    "intake": ["worksummary"],
    "reports": ["reportline", "wording"],
}


def role_permissions():
    """{group name: [(app_label, codename), …]}"""
    view = [(app, "view_" + model) for app, models in DOMAIN_MODELS.items() for model in models]
    edit = [
        (app, action + "_" + model)
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "delete")
    ]
    manage = [
        (app, action + "_" + model)
        for app, models in DOMAIN_MODELS.items()
        for model in models
        for action in ("add", "change", "delete")
    ]
    users = [
        ("auth", action + "_" + model) for model in ("user", "group") for action in ("view", "add", "change", "delete")
    ]
    return {
        VIEWER: view,
        EDITOR: view + edit,
        ADMINISTRATOR: view + manage + users + [("parks", "view_all_parks")],
    }


def sync_roles(apps=None, verbosity=0):
    """Create or update the three groups with exactly their permissions (idempotent)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for app_config in apps.get_app_configs():
        # Permissions are normally created after migrate; the groups need them now. create_permissions skips
        # app configs without a models module, which migration states have: pretend, then put it back.
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True
        try:
            create_permissions(app_config, apps=apps, verbosity=verbosity)
        finally:
            app_config.models_module = saved
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        perms = []
        for app_label, codename in wanted:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
