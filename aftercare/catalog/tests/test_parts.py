"""Spare parts: the services, the settings pages and the API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.models import SparePart
from aftercare.catalog.services import product_model_create, spare_part_create, spare_part_update
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import client_for, field_error, row_ids


def _parts(organization) -> list[tuple]:
    return [
        (
            part.pk,
            part.sku,
            part.name,
            part.names,
            part.price,
            part.is_serialised,
            part.is_active,
            sorted(part.compatible_models.values_list("sku", flat=True)),
        )
        for part in SparePart.objects.filter(organization=organization).order_by("pk")
    ]


@pytest.fixture
def washer(org):
    return product_model_create(organization=org, name="Washer", sku="W-1", brand="Pars")


@pytest.fixture
def pump(org, washer):
    return spare_part_create(
        organization=org,
        sku="PMP-1",
        name="Drain pump",
        names={"fa": "پمپ تخلیه", "tr": "Tahliye pompası"},
        price=Decimal("450000"),
        compatible_models=[washer],
    )


@pytest.fixture
def foreign_part(other_org):
    return spare_part_create(organization=other_org, sku="FAR-1", name="Theirs")


def test_create_and_update(org, washer, pump):
    assert _parts(org) == [
        (
            pump.pk,
            "PMP-1",
            "Drain pump",
            {"fa": "پمپ تخلیه", "tr": "Tahliye pompası"},
            Decimal("450000.00"),
            False,
            True,
            ["W-1"],
        )
    ]
    assert (pump.name_in("fa"), pump.name_in("kk"), pump.name_in("en")) == (
        "پمپ تخلیه",
        "Drain pump",
        "Drain pump",
    )
    spare_part_update(
        spare_part=pump,
        names={"kk": " Су сорғысы ", "fa": ""},
        price="12.50",
        is_serialised=True,
        compatible_models=[],
        is_active=False,
    )
    assert _parts(org) == [
        (
            pump.pk,
            "PMP-1",
            "Drain pump",
            {"kk": "Су сорғысы"},
            Decimal("12.50"),
            True,
            False,
            [],
        )
    ]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"sku": "", "name": "N"}, "sku"),
        ({"sku": "PMP-1", "name": "N"}, "sku"),
        ({"sku": "N-1", "name": ""}, "name"),
        ({"sku": "N-1", "name": "N", "price": Decimal("-1")}, "price"),
        ({"sku": "N-1", "name": "N", "price": Decimal("0.001")}, "price"),
        ({"sku": "N-1", "name": "N", "price": Decimal("1e12")}, "price"),
        ({"sku": "N-1", "name": "N", "price": "abc"}, "price"),
        ({"sku": "N-1", "name": "N", "names": {"en": "Again"}}, "names"),
        ({"sku": "N-1", "name": "N", "names": {"xx": "?"}}, "names"),
        ({"sku": "N-1", "name": "N", "names": {"fa": "x" * 201}}, "names.fa"),
    ],
)
def test_create_refuses_bad_input(org, pump, arguments, field):
    before = _parts(org)
    with pytest.raises(ApplicationError) as refused:
        spare_part_create(organization=org, **arguments)
    assert refused.value.field == field
    assert _parts(org) == before


def test_compatible_models_must_be_of_the_organization(org, pump, other_org):
    theirs = product_model_create(organization=other_org, name="X", sku="X-1")
    before = _parts(org)
    with pytest.raises(ApplicationError) as refused:
        spare_part_update(spare_part=pump, compatible_models=[theirs], price=Decimal("1"))
    assert refused.value.field == "compatible_model_ids"
    assert _parts(org) == before


def test_pages_need_sign_in_and_a_manager(request, org, pump):
    urls = [
        reverse("catalog:parts"),
        reverse("catalog:part_create"),
        reverse("catalog:part_edit", args=[pump.pk]),
    ]
    for url in urls:
        assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"
    for who in ("bob_agent", "tina_technician", "vic_viewer"):
        client = client_for(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403
            assert "Only admins and supervisors manage spare parts." in response.content.decode()


def test_list_shows_names_in_the_users_language(org, admin_client, washer, pump):
    for index in range(12):
        spare_part_create(
            organization=org, sku=f"X-{index:02d}", name=f"Part {index}", compatible_models=[washer]
        )
    url = reverse("catalog:parts")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    # session, user, memberships, presence, the page, its models
    assert len(queries) == 6
    assert row_ids(response, "part")[0] == str(pump.pk)
    assert "Drain pump" in response.content.decode()
    admin_client.cookies["aftercare_language"] = "fa"
    persian = admin_client.get(url).content.decode()
    assert "پمپ تخلیه" in persian
    assert "۴۵۰۰۰۰٫۰۰" in persian or "۴۵۰۰۰۰.۰۰" in persian


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "pmp-1"}, True),
        ({"q": "drain"}, True),
        ({"q": "تخلیه"}, True),
        ({"q": "pompa"}, True),
        ({"q": "PMP"}, True),  # the start of the SKU, as of any word
        ({"q": "PMQ"}, False),
        ({"status": "inactive"}, False),
    ],
)
def test_list_searches(org, admin_client, pump, params, expected):
    response = admin_client.get(reverse("catalog:parts"), params)
    assert response.status_code == 200
    assert row_ids(response, "part") == ([str(pump.pk)] if expected else [])


def test_create_and_edit_pages(org, admin_client, washer):
    page = admin_client.get(reverse("catalog:part_create")).content.decode()
    for code in ("fa", "tr", "kk"):
        assert f'name="name_{code}"' in page
    assert 'name="name_en"' not in page
    response = admin_client.post(
        reverse("catalog:part_create"),
        {
            "sku": "BLT-2",
            "name": "Belt",
            "name_fa": "تسمه",
            "name_tr": "",
            "name_kk": "Белдік",
            "price": "99.90",
            "compatible_models": [str(washer.pk)],
            "is_serialised": "on",
        },
    )
    assert response.status_code == 302
    part = SparePart.objects.get(organization=org)
    assert _parts(org) == [
        (
            part.pk,
            "BLT-2",
            "Belt",
            {"fa": "تسمه", "kk": "Белдік"},
            Decimal("99.90"),
            True,
            True,
            ["W-1"],
        )
    ]
    url = reverse("catalog:part_edit", args=[part.pk])
    edit = admin_client.get(url).content.decode()
    assert 'value="تسمه"' in edit and 'value="99.90"' in edit
    response = admin_client.post(
        url, {"sku": "BLT-2", "name": "Belt", "name_fa": "تسمه", "price": "100"}
    )
    assert response.status_code == 302
    assert _parts(org)[0][3:] == ({"fa": "تسمه"}, Decimal("100.00"), False, False, [])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sku": "", "name": "N", "price": "1"}, "sku", "This field is required."),
        ({"sku": "PMP-1", "name": "N", "price": "1"}, "sku", "already exists"),
        ({"sku": "N-1", "name": "N", "price": "-1"}, "price", "greater than or equal to 0"),
        ({"sku": "N-1", "name": "N", "price": "1.234"}, "price", "2 decimal places"),
        ({"sku": "N-1", "name": "N", "price": "x"}, "price", "Enter a number."),
        ({"sku": "N-1", "name": "N", "price": "1", "name_fa": "x" * 201}, "name_fa", "at most 200"),
    ],
)
def test_create_with_bad_input_changes_nothing(org, admin_client, pump, data, field, message):
    before = _parts(org)
    response = admin_client.post(reverse("catalog:part_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _parts(org) == before


def test_another_organizations_part_is_404(other_org, admin_client, foreign_part):
    before = _parts(other_org)
    url = reverse("catalog:part_edit", args=[foreign_part.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"sku": "M", "name": "M", "price": "1"}).status_code == 404
    assert _parts(other_org) == before
    assert "FAR-1" not in admin_client.get(reverse("catalog:parts")).content.decode()


def test_api(org, agent_api, manager_api, washer, pump, foreign_part):
    listed = agent_api.get("/spare-parts/")
    assert listed.status == 200
    row = listed.body["items"][0]
    assert {key: value for key, value in row.items() if key != "created_at"} == {
        "id": pump.pk,
        "sku": "PMP-1",
        "name": "Drain pump",
        "names": {"fa": "پمپ تخلیه", "tr": "Tahliye pompası"},
        "price": "450000.00",
        "compatible_model_ids": [washer.pk],
        "is_serialised": False,
        "is_active": True,
    }
    assert agent_api.get(f"/spare-parts/{pump.pk}").body == row
    assert agent_api.post("/spare-parts/", {"sku": "A", "name": "B"}).status == 403
    created = manager_api.post(
        "/spare-parts/",
        {"sku": "A1", "name": "Board", "names": {"kk": "Тақта"}, "price": "12.5"},
    )
    assert created.status == 201, created.body
    assert (created.body["price"], created.body["names"]) == ("12.50", {"kk": "Тақта"})
    updated = manager_api.patch(f"/spare-parts/{created.body['id']}", {"is_active": False})
    assert (updated.status, updated.body["is_active"], updated.body["sku"]) == (200, False, "A1")
    assert agent_api.get(f"/spare-parts/{foreign_part.pk}").status == 404
    assert manager_api.patch(f"/spare-parts/{foreign_part.pk}", {"name": "x"}).status == 404
    assert SparePart.objects.get(pk=foreign_part.pk).name == "Theirs"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sku": "N", "name": "N", "price": -1}, "price"),
        ({"sku": "N", "name": "N", "price": "1.001"}, "price"),
        ({"sku": "N", "name": "N", "names": {"xx": "?"}}, "names"),
        ({"sku": "N", "name": "N", "names": {"en": "?"}}, "names"),
        ({"sku": "N", "name": "N", "compatible_model_ids": [99999999]}, "compatible_model_ids"),
        ({"sku": "PMP-1", "name": "N"}, "sku"),
    ],
)
def test_api_rejects_bad_input(org, manager_api, pump, body, field):
    before = _parts(org)
    answer = manager_api.post("/spare-parts/", body)
    assert answer.status == 422, answer.body
    assert answer.field.startswith(field), answer.body
    assert _parts(org) == before


def test_api_list_query_count(org, agent_api, washer):
    for index in range(8):
        spare_part_create(organization=org, sku=f"X{index}", name="N", compatible_models=[washer])
    agent_api.get("/spare-parts/")
    with CaptureQueriesContext(connection) as queries:
        page = agent_api.get("/spare-parts/", {"limit": 5})
    # token, membership, the page, its models
    assert len(queries) == 4
    rest = agent_api.get("/spare-parts/", {"limit": 5, "cursor": page.body["next_cursor"]})
    skus = [row["sku"] for answer in (page, rest) for row in answer.body["items"]]
    assert skus == [f"X{index}" for index in range(8)]
