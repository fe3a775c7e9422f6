"""A Python client generated from openapi/openapi.json (openapi-python-client), used unmodified
against a running server: log in, read a paged list, Home, import a JSON batch and read the
batch back. `scripts/client-test.sh` generates the client and starts the server.

Usage: client_smoke.py BASE_URL EMAIL PASSWORD
"""

import sys
import uuid

from tierdash_api_client import AuthenticatedClient, Client
from tierdash_api_client.api.auth import create_token
from tierdash_api_client.api.billing import create_json_import, get_import
from tierdash_api_client.api.dashboards import get_home
from tierdash_api_client.api.organizations import list_organizations
from tierdash_api_client.models import (
    HomeDashboard,
    ImportBatch,
    JsonImport,
    JsonImportItemsItem,
    ListOrganizationsSort,
    OrgKind,
    PageOrganization,
    TokenRequest,
    TokenResponse,
)


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"client-test: {what}")


def main(base: str, email: str, password: str) -> None:
    anonymous = Client(base_url=base, raise_on_unexpected_status=True)
    token = create_token.sync(client=anonymous, body=TokenRequest(email=email, password=password))
    check(isinstance(token, TokenResponse) and token.token_type == "Bearer", f"login answered {token!r}")
    client = AuthenticatedClient(base_url=base, token=token.access_token, raise_on_unexpected_status=True)

    first = list_organizations.sync(client=client, per_page=2, page=1, sort=ListOrganizationsSort.NAME)
    check(isinstance(first, PageOrganization), f"the list answered {first!r}")
    check(first.total > 2 and len(first.items) == 2, "a page of two organisations out of more")
    second = list_organizations.sync(client=client, per_page=2, page=2, sort=ListOrganizationsSort.NAME)
    check({o.id for o in first.items}.isdisjoint(o.id for o in second.items), "pages do not overlap")

    customers = list_organizations.sync(client=client, kind=OrgKind.CUSTOMER, per_page=1)
    check(customers.total > 0, "the demo tree has customers")
    customer = customers.items[0].external_id

    home = get_home.sync(client=client)
    check(isinstance(home, HomeDashboard), f"Home answered {home!r}")

    line = JsonImportItemsItem.from_dict(
        {
            "BillingAccountId": customer,
            "ChargePeriodStart": "2026-10-01",
            "ChargePeriodEnd": "2026-10-02",
            "BilledCost": "12.34",
            "BillingCurrency": "USD",
            "ChargeCategory": "Usage",
            "ProviderName": "AWS",
            "ServiceName": "Amazon EC2",
            "x_LineItemId": f"client-test-{uuid.uuid4()}",
        }
    )
    batch = create_json_import.sync(client=client, body=JsonImport(items=[line], file_name="client-test"))
    check(isinstance(batch, ImportBatch) and batch.rows_total == 1, f"the import answered {batch!r}")
    again = get_import.sync(client=client, id=batch.id)
    check(isinstance(again, ImportBatch) and again.id == batch.id, f"the batch read back as {again!r}")
    print(f"client-test: logged in, paged {first.total} organisations, read Home, imported batch {batch.id}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
