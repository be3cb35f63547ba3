# The dealer profile an assessment was answered for (frozen at submission). Every
# dealership was treated as a brand dealer until now: so were its submitted assessments.

from django.db import migrations, models


def brand_dealer(apps, schema_editor):
    Assessment = apps.get_model("maturity", "Assessment")
    Assessment.objects.filter(status="submitted").update(profile="brand_dealer")


class Migration(migrations.Migration):

    dependencies = [
        ('dealers', '0004_dealership_profile'),
        ('maturity', '0003_report_claimed_by'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='profile',
            field=models.CharField(blank=True, max_length=20, verbose_name='dealer profile'),
        ),
        migrations.RunPython(brand_dealer, migrations.RunPython.noop),
    ]
