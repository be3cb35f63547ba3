# Dealer profiles: every existing dealership was treated as a brand dealer until now.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dealers', '0003_personal_access_token'),
    ]

    operations = [
        migrations.AddField(
            model_name='dealership',
            name='profile',
            field=models.CharField(choices=[('brand_dealer', 'Brand dealer'), ('brand_agent', 'Brand agent'), ('independent', 'Independent used-car dealer'), ('repairer', 'Repairer or body shop')], default='brand_dealer', help_text='Selects the questions asked (a body shop has no vehicle stock) and the wording of the roadmap. Part of a group: see the dealer group.', max_length=20, verbose_name='dealer profile'),
            preserve_default=False,
        ),
    ]
