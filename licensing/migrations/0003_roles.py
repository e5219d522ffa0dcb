"""The regulator's staff groups and their permissions (SPEC section 4).

Group membership is what the services check; the model permissions let the Django admin show each
role the reference data it may read or maintain.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "reviewer": [
        "licensing.view_organization",
        "licensing.view_application",
        "licensing.review_application",
        "licensing.view_document",
        "licensing.view_informationrequest",
        "registry.view_license",
        "registry.view_digitalasset",
    ],
    "approver": [
        "licensing.view_organization",
        "licensing.view_application",
        "licensing.decide_application",
        "licensing.view_document",
        "licensing.view_informationrequest",
        "registry.view_license",
        "registry.change_license_status",
        "registry.view_digitalasset",
    ],
    "supervisor": [
        "licensing.view_organization",
        "licensing.view_application",
        "licensing.review_application",
        "licensing.supervise_applications",
        "licensing.view_document",
        "licensing.view_informationrequest",
        "registry.view_license",
        "registry.view_digitalasset",
        "registry.add_digitalasset",
        "registry.change_digitalasset",
        "registry.view_warningentry",
        "registry.add_warningentry",
        "registry.change_warningentry",
        "registry.delete_warningentry",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now to link them.
    for app_label in ("licensing", "registry"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # create_permissions skips app configs without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0002_reference_data"),
        ("registry", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
