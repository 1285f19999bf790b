"""The catalog's search boxes go through the search index: Persian typed with Arabic letters,
an SKU or code typed in any case, digits and separators (and found first), never another
organization's, at a flat number of queries, a page at a time."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.indexing import FAULT_CODE, PRODUCT_MODEL, SPARE_PART
from aftercare.catalog.selectors import (
    fault_code_page,
    product_model_page,
    product_model_settings_page,
    spare_part_page,
)
from aftercare.catalog.services import (
    fault_code_create,
    fault_code_update,
    product_model_create,
    product_model_update,
    spare_part_create,
    spare_part_update,
)
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import row_ids
from aftercare.search.kinds import kind_get
from aftercare.search.selectors import TIER_IDENTIFIER, TIER_TEXT, TIER_TITLE, staff_search
from aftercare.search.services import search_documents_remove

pytestmark = pytest.mark.django_db


def _ids(page) -> list[int]:
    return [row.pk for row in page.items]


def _found(org, text, **filters) -> list[tuple[str, int, int]]:
    page = staff_search(organization=org, role="admin", text=text, limit=50, **filters)
    return [(result.kind, result.object_id, result.tier) for result in page.results]


@pytest.fixture
def fridge(org):
    # Persian letters (ی, ک) as a Persian keyboard types them.
    return product_model_create(
        organization=org, name="یخچال ساید بای ساید", sku="RF-900", brand="Pars", category="Cold"
    )


@pytest.fixture
def washer(org):
    return product_model_create(
        organization=org, name="EcoWash", sku="WM-800", brand="Arctic", category="Laundry"
    )


@pytest.fixture
def compressor(org, fridge):
    return spare_part_create(
        organization=org,
        sku="CMP-12",
        name="Compressor",
        names={"fa": "کمپرسور یخچال", "tr": "Buzdolabı kompresörü"},
        compatible_models=[fridge],
    )


@pytest.fixture
def leak(org, fridge):
    return fault_code_create(organization=org, code="E21", name="نشتی گاز", product_models=[fridge])


@pytest.fixture
def theirs(other_org):
    """Another organization's model, part and fault with the same names, SKUs and code."""
    return {
        "product": product_model_create(
            organization=other_org, name="یخچال ساید بای ساید", sku="RF-900"
        ),
        "part": spare_part_create(
            organization=other_org, sku="CMP-12", name="Compressor", names={"fa": "کمپرسور"}
        ),
        "fault": fault_code_create(organization=other_org, code="E21", name="نشتی گاز"),
    }


def test_persian_typed_with_arabic_letters_finds_the_model_the_part_and_the_fault(
    org, fridge, compressor, leak
):
    # Arabic yeh (ي) and kaf (ك), as an Arabic keyboard types them.
    assert _ids(product_model_settings_page(organization=org, search="يخچال")) == [fridge.pk]
    assert _ids(product_model_page(organization=org, search="ساید باي")) == [fridge.pk]
    assert _ids(spare_part_page(organization=org, search="كمپرسور")) == [compressor.pk]
    assert _ids(spare_part_page(organization=org, search="kompresor")) == [compressor.pk]
    assert _ids(fault_code_page(organization=org, search="نشتي")) == [leak.pk]


# A model or part whose name holds the same words comes after the one whose SKU was typed;
# typed solid, the SKU is one word that no name holds.
@pytest.mark.parametrize(
    ("typed", "words"),
    [("RF-900", True), ("rf ۹۰۰", True), ("RF_٩٠٠", True), ("rf/900", True), ("rf900", False)],
)
def test_a_model_sku_typed_any_way_finds_it_first(org, fridge, typed, words):
    named = product_model_create(organization=org, name="RF 900 adapter", sku="ADP-1")
    expected = [fridge.pk, named.pk] if words else [fridge.pk]
    assert _ids(product_model_settings_page(organization=org, search=typed)) == expected
    assert _ids(product_model_page(organization=org, search=typed)) == expected


@pytest.mark.parametrize(
    ("typed", "words"), [("CMP-12", True), ("cmp ۱۲", True), ("CMP.١٢", True), ("Cmp12", False)]
)
def test_a_part_sku_typed_any_way_finds_it_first(org, compressor, typed, words):
    named = spare_part_create(organization=org, sku="KIT-1", name="CMP 12 mounting kit")
    expected = [compressor.pk, named.pk] if words else [compressor.pk]
    assert _ids(spare_part_page(organization=org, search=typed)) == expected


@pytest.mark.parametrize("typed", ["E21", "e21", "e۲۱", "E-21"])
def test_a_fault_code_typed_any_way_finds_it(org, leak, typed):
    assert _ids(fault_code_page(organization=org, search=typed)) == [leak.pk]


def test_the_index_holds_every_word_the_lists_search(org, fridge, washer, compressor, leak):
    assert _found(org, "RF-900", kinds=[PRODUCT_MODEL]) == [
        (PRODUCT_MODEL, fridge.pk, TIER_IDENTIFIER)
    ]
    assert _found(org, "ecowash", kinds=[PRODUCT_MODEL]) == [(PRODUCT_MODEL, washer.pk, TIER_TITLE)]
    assert _found(org, "arctic laundry", kinds=[PRODUCT_MODEL]) == [
        (PRODUCT_MODEL, washer.pk, TIER_TEXT)
    ]
    assert _found(org, "buzdolabı", kinds=[SPARE_PART]) == [(SPARE_PART, compressor.pk, TIER_TEXT)]
    assert _found(org, "e21", kinds=[FAULT_CODE]) == [(FAULT_CODE, leak.pk, TIER_IDENTIFIER)]


def test_another_organizations_catalog_is_never_found(
    org, other_org, fridge, compressor, leak, theirs
):
    ours = {(PRODUCT_MODEL, fridge.pk), (SPARE_PART, compressor.pk), (FAULT_CODE, leak.pk)}
    catalog = (PRODUCT_MODEL, SPARE_PART, FAULT_CODE)
    for text in ("يخچال", "RF-900", "كمپرسور", "CMP-12", "E21", "نشتی"):
        found = {(kind, object_id) for kind, object_id, _tier in _found(org, text, kinds=catalog)}
        assert found and found <= ours, text
        assert set(_ids(product_model_settings_page(organization=org, search=text))) <= {fridge.pk}
        assert set(_ids(spare_part_page(organization=org, search=text))) <= {compressor.pk}
        assert set(_ids(fault_code_page(organization=org, search=text))) <= {leak.pk}
    assert _ids(product_model_settings_page(organization=other_org, search="RF-900")) == [
        theirs["product"].pk
    ]


def test_changes_and_deactivation_reach_the_index(org, fridge, compressor, leak):
    product_model_update(product_model=fridge, name="Cooler", sku="CL-1")
    assert _ids(product_model_settings_page(organization=org, search="RF-900")) == []
    assert _ids(product_model_settings_page(organization=org, search="cl1")) == [fridge.pk]
    spare_part_update(spare_part=compressor, names={"kk": "Компрессор"})
    assert _ids(spare_part_page(organization=org, search="كمپرسور")) == []
    assert _ids(spare_part_page(organization=org, search="компрессор")) == [compressor.pk]
    fault_code_update(fault_code=leak, code="G7")
    assert _ids(fault_code_page(organization=org, search="E21")) == []
    assert _ids(fault_code_page(organization=org, search="g7")) == [leak.pk]

    product_model_update(product_model=fridge, is_active=False)
    spare_part_update(spare_part=compressor, is_active=False)
    fault_code_update(fault_code=leak, is_active=False)
    assert _ids(product_model_page(organization=org, search="cooler")) == []
    for status, expected in (("all", True), ("inactive", True), ("active", False)):
        assert _ids(
            product_model_settings_page(organization=org, search="cooler", status=status)
        ) == ([fridge.pk] if expected else [])
        assert _ids(spare_part_page(organization=org, search="cmp12", status=status)) == (
            [compressor.pk] if expected else []
        )
        assert _ids(fault_code_page(organization=org, search="g7", status=status)) == (
            [leak.pk] if expected else []
        )
    assert _found(org, "cooler", kinds=[PRODUCT_MODEL], states=["inactive"]) == [
        (PRODUCT_MODEL, fridge.pk, TIER_TITLE)
    ]


def test_a_write_that_rolls_back_takes_its_index_update_with_it(org, fridge):
    with pytest.raises(RuntimeError), transaction.atomic():
        product_model_update(product_model=fridge, name="Cooler")
        raise RuntimeError
    assert _ids(product_model_settings_page(organization=org, search="cooler")) == []
    assert _ids(product_model_settings_page(organization=org, search="یخچال")) == [fridge.pk]


def test_reindex_puts_every_catalog_document_back(org, fridge, compressor, leak):
    for kind, row in ((PRODUCT_MODEL, fridge), (SPARE_PART, compressor), (FAULT_CODE, leak)):
        search_documents_remove(kind=kind, object_ids=[row.pk])
    assert _ids(spare_part_page(organization=org, search="CMP-12")) == []
    out = io.StringIO()
    call_command("search_reindex", kind=[PRODUCT_MODEL, SPARE_PART, FAULT_CODE], stdout=out)
    assert f"1 {SPARE_PART} documents" in out.getvalue()
    assert _ids(product_model_settings_page(organization=org, search="RF-900")) == [fridge.pk]
    assert _ids(spare_part_page(organization=org, search="CMP-12")) == [compressor.pk]
    assert _ids(fault_code_page(organization=org, search="E21")) == [leak.pk]


def test_hits_open_the_console_page_for_staff_and_nothing_for_customers(
    org, fridge, compressor, leak
):
    for kind_name, row, url in (
        (PRODUCT_MODEL, fridge, reverse("catalog:product_edit", args=[fridge.pk])),
        (SPARE_PART, compressor, reverse("catalog:part_edit", args=[compressor.pk])),
        (FAULT_CODE, leak, reverse("catalog:fault_edit", args=[leak.pk])),
    ):
        kind = kind_get(kind_name)
        assert kind.show(org.pk, [row.pk], "staff")[row.pk].url == url
        assert kind.show(org.pk, [row.pk], "customer") == {}
        assert kind.show(org.pk + 1, [row.pk], "staff") == {}


def test_pages_of_a_search_follow_the_index_and_cursors_of_the_other_mode_are_refused(org):
    made = [
        spare_part_create(organization=org, sku=f"BLT-{index:02d}", name=f"Belt {index}")
        for index in range(7)
    ]
    seen, cursor = [], None
    for _ in range(4):
        page = spare_part_page(organization=org, search="belt", cursor=cursor, limit=3)
        seen += _ids(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(part.pk for part in made)
    assert len(seen) == len(set(seen))
    searched = spare_part_page(organization=org, search="belt", limit=3).next_cursor
    listed = spare_part_page(organization=org, limit=3).next_cursor
    for page, cursor in (
        (spare_part_page, searched),
        (fault_code_page, searched),
        (product_model_settings_page, searched),
    ):
        with pytest.raises(ApplicationError) as refused:
            page(organization=org, cursor=cursor)
        assert refused.value.field == "cursor"
    with pytest.raises(ApplicationError) as refused:
        spare_part_page(organization=org, search="belt", cursor=listed)
    assert refused.value.field == "cursor"


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_console_list_pages_search_at_a_flat_number_of_queries(org, admin_client, fridge):
    url = reverse("catalog:parts")
    spare_part_create(organization=org, sku="PMP-1", name="Pump", compatible_models=[fridge])
    response = admin_client.get(url, {"q": "pump"})
    assert len(row_ids(response, "part")) == 1
    one = _queries(lambda: admin_client.get(url, {"q": "pump"}))
    for index in range(2, 13):
        spare_part_create(
            organization=org, sku=f"PMP-{index}", name=f"Pump {index}", compatible_models=[fridge]
        )
    assert len(row_ids(admin_client.get(url, {"q": "pump"}), "part")) == 12
    assert _queries(lambda: admin_client.get(url, {"q": "pump"})) == one


@pytest.mark.parametrize(
    ("name", "params", "row"),
    [
        ("catalog:products", {"q": "يخچال"}, "product"),
        ("catalog:products", {"q": "rf ۹۰۰", "status": "active"}, "product"),
        ("catalog:parts", {"q": "كمپرسور"}, "part"),
        ("catalog:parts", {"q": "cmp۱۲"}, "part"),
        ("catalog:faults", {"q": "e۲۱"}, "fault"),
        ("catalog:faults", {"q": "نشتي"}, "fault"),
    ],
)
def test_console_list_pages_search_the_index(
    admin_client, outsider_client, fridge, compressor, leak, theirs, name, params, row
):
    expected = {"product": fridge, "part": compressor, "fault": leak}[row]
    response = admin_client.get(reverse(name), params)
    assert response.status_code == 200
    assert row_ids(response, row) == [str(expected.pk)]
    # Charlie, an admin of the other organization, finds only its own.
    assert row_ids(outsider_client.get(reverse(name), params), row) == [str(theirs[row].pk)]


def test_console_list_page_refuses_a_cursor_of_the_other_mode(org, admin_client, fridge):
    for index in range(3):
        product_model_create(organization=org, name=f"Fridge {index}", sku=f"F-{index}")
    searched = product_model_settings_page(organization=org, search="fridge", limit=1)
    response = admin_client.get(reverse("catalog:products"), {"cursor": searched.next_cursor})
    assert response.status_code == 422
    listed = product_model_settings_page(organization=org, limit=1)
    response = admin_client.get(
        reverse("catalog:products"), {"q": "fridge", "cursor": listed.next_cursor}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "search", "fixture"),
    [
        ("/product-models/", "يخچال", "fridge"),
        ("/product-models/", "rf۹۰۰", "fridge"),
        ("/spare-parts/", "كمپرسور", "compressor"),
        ("/spare-parts/", "CMP ١٢", "compressor"),
        ("/fault-codes/", "e۲۱", "leak"),
    ],
)
def test_api_lists_search_the_index(
    request, agent_api, outsider_api, fridge, compressor, leak, theirs, path, search, fixture
):
    answer = agent_api.get(path, {"search": search})
    assert answer.status == 200
    assert [row["id"] for row in answer.body["items"]] == [request.getfixturevalue(fixture).pk]
    key = {"fridge": "product", "compressor": "part", "leak": "fault"}[fixture]
    theirs_answer = outsider_api.get(path, {"search": search, "status": "all"})
    assert [row["id"] for row in theirs_answer.body["items"]] == [theirs[key].pk]


@pytest.mark.parametrize("path", ["/product-models/", "/spare-parts/", "/fault-codes/"])
def test_api_list_searches_at_a_flat_number_of_queries_a_page_at_a_time(
    org, agent_api, fridge, path
):
    def make(index):
        if path == "/product-models/":
            product_model_create(organization=org, name=f"Heater {index}", sku=f"H-{index}")
        elif path == "/spare-parts/":
            spare_part_create(
                organization=org,
                sku=f"H-{index}",
                name=f"Heater {index}",
                compatible_models=[fridge],
            )
        else:
            fault_code_create(
                organization=org,
                code=f"H{index}",
                name=f"Heater {index}",
                product_models=[fridge],
            )

    make(0)
    agent_api.get(path, {"search": "heater"})
    one = _queries(lambda: agent_api.get(path, {"search": "heater"}))
    for index in range(1, 12):
        make(index)
    assert _queries(lambda: agent_api.get(path, {"search": "heater"})) == one
    seen, cursor = [], None
    while True:
        params = {"search": "heater", "limit": 5, **({"cursor": cursor} if cursor else {})}
        answer = agent_api.get(path, params)
        assert answer.status == 200
        seen += [row["id"] for row in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 12
    listed = agent_api.get(path, {"limit": 5}).body["next_cursor"]
    refused = agent_api.get(path, {"search": "heater", "cursor": listed})
    assert (refused.status, refused.field) == (422, "cursor")
    searched = agent_api.get(path, {"search": "heater", "limit": 5}).body["next_cursor"]
    refused = agent_api.get(path, {"cursor": searched})
    assert (refused.status, refused.field) == (422, "cursor")


def test_the_console_search_page_has_a_tab_for_each_catalog_kind(admin_client, fridge, leak):
    # Admins: the catalog's pages are theirs and supervisors' (agents do not find these kinds).
    response = admin_client.get(reverse("search:results"), {"q": "يخچال"})
    html = response.content.decode()
    for kind in (PRODUCT_MODEL, SPARE_PART, FAULT_CODE):
        assert f'data-testid="search-kind-{kind}"' in html
    assert f'data-kind="{PRODUCT_MODEL}" data-id="{fridge.pk}"' in html
    assert reverse("catalog:product_edit", args=[fridge.pk]) in html
    narrowed = admin_client.get(
        reverse("search:results"), {"q": "e21", "kind": FAULT_CODE, "state": "active"}
    )
    assert f'data-kind="{FAULT_CODE}" data-id="{leak.pk}"' in narrowed.content.decode()
