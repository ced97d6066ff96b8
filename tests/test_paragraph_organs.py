"""Which organs have which operative paragraphs (`ParagraphOrgan`, derived data) follows every
write that can change it: responsibilities saved, moved, re-roled, deleted, added through the
paragraph's organs; sub-paragraphs moved; organs moved in the hierarchy. After each step the
stored rows equal a recomputation from the facts (`status.check()`), and the organ pages'
rule (`addressed_to`) gives the paragraphs a reader expects."""

import pytest

from mandates import status
from mandates.models import Mandate, Organ, ParagraphOrgan, Responsibility

from .factories import make_resolution


@pytest.fixture
def tree(db):
    pc = Organ.objects.create(acronym="XPC", name="Permanent Council (test)")
    cajp = Organ.objects.create(acronym="XCAJP", name="Juridical committee (test)", parent=pc)
    gs = Organ.objects.create(acronym="XGS", name="General Secretariat (test)")
    resolution = make_resolution(2)
    first, second = resolution.mandates.order_by("order")
    sub = Mandate.objects.create(resolution=resolution, parent=first, label="1.a", order=11)
    subsub = Mandate.objects.create(resolution=resolution, parent=sub, label="1.a.i", order=12)
    return {"pc": pc, "cajp": cajp, "gs": gs, "first": first, "second": second, "sub": sub,
            "subsub": subsub}  # fmt: skip


def rows() -> set[tuple[str, str]]:
    return set(ParagraphOrgan.objects.values_list("organ__acronym", "paragraph__label").order_by())


def labels(organ) -> set[str]:
    return set(Mandate.objects.top_level().addressed_to(organ).values_list("label", flat=True))


def agrees():
    assert status.check() == []
    return True


def test_sub_paragraph_responsibility_rolls_up_to_paragraph_and_organs_above(tree):
    Responsibility.objects.create(mandate=tree["subsub"], organ=tree["cajp"])
    assert rows() == {("XCAJP", "1"), ("XPC", "1")}
    assert labels(tree["pc"]) == {"1"} and labels(tree["cajp"]) == {"1"}
    assert labels(tree["gs"]) == set()
    assert agrees()


def test_report_recipient_has_no_paragraph(tree):
    Responsibility.objects.create(
        mandate=tree["second"], organ=tree["gs"], role=Responsibility.Role.RECIPIENT
    )
    assert rows() == set() and labels(tree["gs"]) == set()
    # Made responsible by a bulk update: the paragraph becomes the organ's.
    Responsibility.objects.filter(organ=tree["gs"]).update(role=Responsibility.Role.LEAD)
    assert labels(tree["gs"]) == {"2"}
    assert agrees()


def test_added_through_the_paragraphs_organs_and_removed(tree):
    tree["second"].organs.add(tree["gs"], through_defaults={"role": "supporting"})
    assert labels(tree["gs"]) == {"2"}
    tree["second"].organs.remove(tree["gs"])
    assert labels(tree["gs"]) == set()
    Responsibility.objects.bulk_create([Responsibility(mandate=tree["sub"], organ=tree["gs"])])
    assert labels(tree["gs"]) == {"1"}
    Responsibility.objects.filter(organ=tree["gs"]).delete()
    assert rows() == set()
    assert agrees()


def test_responsibility_moved_and_sub_paragraph_moved(tree):
    duty = Responsibility.objects.create(mandate=tree["sub"], organ=tree["gs"])
    assert labels(tree["gs"]) == {"1"}
    duty.mandate = tree["second"]
    duty.save()
    assert labels(tree["gs"]) == {"2"}
    # The sub-paragraph (with its own sub-paragraph's organ) moves under ¶2.
    Responsibility.objects.create(mandate=tree["subsub"], organ=tree["cajp"])
    assert labels(tree["cajp"]) == {"1"}
    sub = tree["sub"]
    sub.parent = tree["second"]
    sub.save()
    assert labels(tree["cajp"]) == {"2"} and labels(tree["pc"]) == {"2"}
    # Promoted to a paragraph of its own: its organs follow it.
    Mandate.objects.filter(pk=sub.pk).update(parent=None)
    assert labels(tree["cajp"]) == {"1.a"}
    assert agrees()


def test_organ_moved_in_the_hierarchy(tree):
    Responsibility.objects.create(mandate=tree["first"], organ=tree["cajp"])
    assert labels(tree["pc"]) == {"1"} and labels(tree["gs"]) == set()
    cajp = tree["cajp"]
    cajp.parent = tree["gs"]
    cajp.save()
    assert labels(tree["gs"]) == {"1"} and labels(tree["pc"]) == set()
    Organ.objects.filter(pk=cajp.pk).update(parent=None)
    assert labels(tree["gs"]) == set() and labels(tree["cajp"]) == {"1"}
    assert agrees()


def test_paragraph_deleted(tree):
    Responsibility.objects.create(mandate=tree["subsub"], organ=tree["gs"])
    tree["first"].delete()
    assert rows() == set()
    assert agrees()


def test_counts_by_organ_use_the_same_rows(tree):
    Responsibility.objects.create(mandate=tree["subsub"], organ=tree["cajp"])
    Responsibility.objects.create(mandate=tree["second"], organ=tree["pc"])
    by_organ = Mandate.objects.paragraph_counts(by="organs")
    assert by_organ[tree["pc"].pk]["total"] == 2
    assert by_organ[tree["cajp"].pk]["total"] == 1
    assert Mandate.objects.paragraph_counts(organ=tree["pc"])["total"] == 2
    assert tree["gs"].pk not in by_organ


@pytest.mark.django_db
def test_an_organ_put_under_one_of_its_own_is_refused_however_it_is_saved(tree):
    """XGS under XCAJP under XPC, then XPC under XGS: a loop, which has no paths. Refused by
    the model itself (not only the admin form), nothing changed."""
    from django.core.exceptions import ValidationError

    pc, cajp, gs = tree["pc"], tree["cajp"], tree["gs"]
    gs.parent = cajp
    gs.save()
    before = dict(Organ.objects.values_list("pk", "path"))
    for organ, parent in [(pc, gs), (pc, pc), (cajp, gs)]:
        organ.parent = parent
        with pytest.raises(ValidationError) as refused:
            organ.save()
        assert refused.value.message_dict == {"parent": ["An organ cannot be part of itself."]}
        organ.refresh_from_db()
        organ.parent = parent  # the admin form's check says the same
        with pytest.raises(ValidationError) as refused:
            organ.clean()
        assert "parent" in refused.value.message_dict
        organ.refresh_from_db()
    assert dict(Organ.objects.values_list("pk", "path")) == before
    assert Organ.objects.get(pk=gs.pk).path == f"/{pc.pk}/{cajp.pk}/{gs.pk}/"
    assert agrees()
