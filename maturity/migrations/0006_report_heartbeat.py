from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("maturity", "0005_consultant"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
