# E-mail addresses are case-insensitive: stored in lower case, unique whatever the case.
#
# The data step lower-cases every stored address first. Two accounts whose addresses
# differ only in case cannot be merged safely here (each has its own password,
# memberships, answers and history), so the migration stops instead, naming them:
# staff then keep one of each pair (change or delete the other in the admin, or
# ``manage.py shell``) and run ``migrate`` again. Nothing is changed until it passes.

from django.db import migrations, models
from django.db.models.functions import Lower


class DuplicateEmails(Exception):
    pass


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("dealers", "User")
    seen = {}
    clashes = []
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        key = (email or "").strip().lower()
        if key in seen:
            clashes.append(f"{seen[key][1]} (id {seen[key][0]}) and {email} (id {pk})")
        else:
            seen[key] = (pk, email)
    if clashes:
        raise DuplicateEmails(
            "These accounts differ only in the case of their e-mail address; keep one of "
            "each pair (change or delete the other), then run migrate again: "
            + "; ".join(clashes)
        )
    for key, (pk, email) in seen.items():
        if email != key:
            User.objects.filter(pk=pk).update(email=key)


class Migration(migrations.Migration):

    dependencies = [
        ('dealers', '0004_dealership_profile'),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(Lower('email'), name='user_email_ci_unique', violation_error_message='A person with this e-mail address already exists.'),
        ),
    ]
