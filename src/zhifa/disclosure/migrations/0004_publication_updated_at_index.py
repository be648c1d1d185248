"""An index on Publication.updated_at: the portal's ETag asks for the newest
change to anything public (`selectors.latest_change`) on every list and
permalink request; without it that is a pass over every publication
(docs/adr/0002)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_search_document_order_keys")]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["updated_at"], name="disclosure_pub_updated_at_idx"),
        ),
    ]
