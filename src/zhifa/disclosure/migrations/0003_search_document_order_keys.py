"""Rebuild the search index in its new shape (docs/adr/0002): each document's
id becomes its place in the portal's order (decision date, then publication
id) and its tokens start with the agency, kind, region and decision-day
facets. A data migration only: the tables do not change. The SQLite triggers
and the PostgreSQL generated column keep the full-text index in step as rows
are rewritten."""

from django.db import migrations

BATCH = 1000


def rebuild(apps, schema_editor):
    # The key and token functions are pure; the index is derived data, so it is
    # rebuilt with the code that reads it.
    from zhifa.disclosure.search.documents import index_tokens, order_key

    Publication = apps.get_model("disclosure", "Publication")
    SearchDocument = apps.get_model("disclosure", "SearchDocument")
    db = schema_editor.connection.alias
    SearchDocument.objects.using(db).all().delete()
    published = Publication.objects.using(db).filter(status="published").order_by("pk")
    batch = []
    for pub in published.iterator(chunk_size=BATCH):
        batch.append(
            SearchDocument(
                id=order_key(pub.decided_on, pub.pk),
                publication_id=pub.pk,
                tokens=index_tokens(
                    agency_id=pub.agency_id,
                    kind=pub.kind,
                    region_code=pub.region_code,
                    decided_on=pub.decided_on,
                    title=pub.title,
                    party=pub.party_display,
                    agency_name=pub.agency_name,
                    decision_number=pub.decision_number,
                    text=pub.text,
                ),
            )
        )
        if len(batch) == BATCH:
            SearchDocument.objects.using(db).bulk_create(batch)
            batch = []
    SearchDocument.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_search_index")]

    # Documents keyed the old way are still found by the old code's queries,
    # so going back needs no rewrite.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
