"""Search reads the official translations too: a paragraph's (and a resolution's title's)
stored search vector holds its original text and each translation, every text stemmed in its
own language, still in one GIN-indexed column. PostgreSQL only, like 0005."""

from django.db import migrations

FORWARD_SQL = [
    # The configuration `mandates_text_vector` stems a text with (its language, English or
    # Spanish, told by which one's stop words remove more of it): the snippet of a match in a
    # translation is cut with the same one.
    """
    CREATE OR REPLACE FUNCTION mandates_text_config(body text) RETURNS regconfig
    LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
        IF length(to_tsvector('mt_spanish'::regconfig, coalesce(body, '')))
           < length(to_tsvector('mt_english'::regconfig, coalesce(body, ''))) THEN
            RETURN 'mt_spanish'::regconfig;
        END IF;
        RETURN 'mt_english'::regconfig;
    END $$
    """,
    # Every translation's vector, each in its language, concatenated (positions do not run
    # on from one text into the next: a phrase is found within one text).
    """
    CREATE OR REPLACE FUNCTION mandates_translations_vector(translations jsonb)
    RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
        result tsvector := ''::tsvector;
        translated text;
    BEGIN
        IF translations IS NULL OR jsonb_typeof(translations) <> 'object' THEN
            RETURN result;
        END IF;
        FOR translated IN SELECT value FROM jsonb_each_text(translations) ORDER BY key LOOP
            result := result || mandates_text_vector(translated);
        END LOOP;
        RETURN result;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION mandates_mandate_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('mt_english'::regconfig, coalesce(NEW.label, '')), 'A')
            || setweight(mandates_text_vector(NEW.text), 'B')
            || setweight(mandates_translations_vector(NEW.text_translations), 'B');
        RETURN NEW;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION mandates_resolution_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('mt_english'::regconfig, coalesce(NEW.symbol, '')), 'A')
            || setweight(mandates_text_vector(NEW.title), 'C')
            || setweight(mandates_translations_vector(NEW.title_translations), 'C');
        RETURN NEW;
    END $$
    """,
    # Rows that already have translations get them into their vector (the trigger computes).
    "UPDATE mandates_mandate SET search_vector = NULL WHERE text_translations <> '{}'::jsonb",
    "UPDATE mandates_resolution SET search_vector = NULL WHERE title_translations <> '{}'::jsonb",
]

BACKWARD_SQL = [
    """
    CREATE OR REPLACE FUNCTION mandates_mandate_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('mt_english'::regconfig, coalesce(NEW.label, '')), 'A')
            || setweight(mandates_text_vector(NEW.text), 'B');
        RETURN NEW;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION mandates_resolution_search_vector() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('mt_english'::regconfig, coalesce(NEW.symbol, '')), 'A')
            || setweight(mandates_text_vector(NEW.title), 'C');
        RETURN NEW;
    END $$
    """,
    "UPDATE mandates_mandate SET search_vector = NULL WHERE text_translations <> '{}'::jsonb",
    "UPDATE mandates_resolution SET search_vector = NULL WHERE title_translations <> '{}'::jsonb",
    "DROP FUNCTION IF EXISTS mandates_translations_vector(jsonb)",
    "DROP FUNCTION IF EXISTS mandates_text_config(text)",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0020_organ_descriptions"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(FORWARD_SQL), run_on_postgresql(BACKWARD_SQL)),
    ]
