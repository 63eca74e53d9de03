#!/usr/bin/env python3
"""List every account of one source from an orgscope sandbox with the provider's official
Python SDK, as `orgscope list SOURCE --format ndjson` does, for scripts/bench.sh.

Run with the throwaway venv's python (see scripts/bench.sh), the sandbox's variables in the
environment (the `export` lines `orgscope sandbox` prints), and:

    bench_sdk.py SOURCE PAGE_SIZE

It writes each record as one JSON line to stdout (the benchmark sends it to /dev/null, as it
does orgscope's) and `count=N` to stderr. Only GET requests go out, plus the Twilio token
POST, and only to the loopback base URLs in the environment.
"""

import json
import os
import sys
from urllib.parse import urlsplit

MAX_PAGES = 100_000  # a bound on every loop, whatever the server says


def loopback(url):
    host = urlsplit(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        sys.exit(f"bench_sdk: refusing non-loopback base URL {url}")
    return url


def write(records, out):
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    return len(records)


def cloudflare(page_size, out):
    # cloudflare 5.x has no organizations.accounts resource (the Organizations accounts
    # API is newer than the SDK's generated code), so this uses the SDK's own generic
    # client.get: its HTTP stack, auth, retries and JSON, with the paging done here.
    from cloudflare import Cloudflare

    client = Cloudflare(
        api_token=os.environ["CLOUDFLARE_API_TOKEN"],
        base_url=loopback(os.environ["CLOUDFLARE_BASE_URL"]),
    )
    org = os.environ["CLOUDFLARE_ORGANIZATION_ID"]
    params = {"page_size": page_size}
    count = 0
    for _ in range(MAX_PAGES):
        body = client.get(
            f"/organizations/{org}/accounts", cast_to=object, options={"params": params}
        )
        count += write(body.get("result") or [], out)
        token = (body.get("result_info") or {}).get("next_page_token")
        if not token:
            break
        params = {"page_size": page_size, "page_token": token}
    return count


def twilio(page_size, out):
    from twilio.credential.orgs_credential_provider import OrgsCredentialProvider
    from twilio.http.orgs_token_manager import OrgTokenManager
    from twilio.http.token_manager import TokenManager
    from twilio.rest import Client
    from twilio.rest.preview_iam.versionless import Versionless

    inner = OrgTokenManager(
        "client_credentials", os.environ["TWILIO_CLIENT_ID"], os.environ["TWILIO_CLIENT_SECRET"]
    )
    inner.client.oauth.base_url = loopback(os.environ["ORGSCOPE_TWILIO_OAUTH_URL"])

    class CachedToken(TokenManager):
        # The SDK renews a token that is not a JWT before every request (it reads `exp`
        # from it); the sandbox's tokens are opaque, Twilio's are JWTs that it would keep.
        # Keeping the first token makes the SDK behave as it does against Twilio.
        token = None

        def fetch_access_token(self):
            if self.token is None:
                self.token = inner.fetch_access_token()
            return self.token

    provider = OrgsCredentialProvider(
        os.environ["TWILIO_CLIENT_ID"], os.environ["TWILIO_CLIENT_SECRET"], CachedToken()
    )
    client = Client(credential_provider=provider)
    # The Orgs token strategy turns on INFO logging of every request; a script listing
    # accounts would turn that off, so the SDK is not charged for writing logs.
    import logging

    logging.getLogger("twilio").setLevel(logging.WARNING)
    client.preview_iam.base_url = loopback(os.environ["ORGSCOPE_TWILIO_PREVIEW_IAM_URL"])
    accounts = Versionless(client.preview_iam).accounts(os.environ["TWILIO_ORGANIZATION_SID"])
    count = 0
    for account in accounts.stream(page_size=page_size):
        out.write(json.dumps(account.__dict__.get("_properties", {}), default=str))
        out.write("\n")
        count += 1
        if count > MAX_PAGES * page_size:
            break
    return count


def sendgrid(page_size, out):
    from sendgrid import SendGridAPIClient

    client = SendGridAPIClient(
        os.environ["SENDGRID_API_KEY"], host=loopback(os.environ["ORGSCOPE_SENDGRID_URL"])
    )
    params = {"limit": page_size}
    count = 0
    for _ in range(MAX_PAGES):
        response = client.client.partners.accounts.get(query_params=params)
        body = json.loads(response.body)
        accounts = body.get("accounts") or []
        count += write(accounts, out)
        last = (body.get("pages") or {}).get("last")
        # The same end rule as orgscope: a short page, no `last`, or a repeated offset.
        if len(accounts) < page_size or not last or str(last) == str(params.get("offset")):
            break
        params = {"limit": page_size, "offset": last}
    return count


def huawei(page_size, out):
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkorganizations.v1 import ListAccountsRequest, OrganizationsClient

    base = urlsplit(loopback(os.environ["ORGSCOPE_HUAWEI_URL"]))
    # domain_id given, so the SDK does not ask IAM for it (a request to the real IAM).
    credentials = GlobalCredentials(
        os.environ["HUAWEICLOUD_SDK_AK"], os.environ["HUAWEICLOUD_SDK_SK"], "sandbox-domain"
    )
    client = (
        OrganizationsClient.new_builder()
        .with_credentials(credentials)
        .with_endpoint(f"{base.scheme}://{base.netloc}")
        .build()
    )
    prefix = base.path.rstrip("/")
    if prefix:
        # The SDK keeps only scheme and host of an endpoint; the sandbox serves Huawei under
        # a path prefix. Prefix the resource path before signing, so it signs what it sends.
        original = client.do_http_request

        def prefixed(method, resource_path, *args, **kwargs):
            return original(method, prefix + resource_path, *args, **kwargs)

        client.do_http_request = prefixed
    marker = None
    count = 0
    for _ in range(MAX_PAGES):
        request = ListAccountsRequest(limit=page_size, marker=marker)
        response = client.list_accounts(request)
        records = [account.to_dict() for account in (response.accounts or [])]
        count += write(records, out)
        marker = response.page_info.next_marker if response.page_info else None
        if not marker:
            break
    return count


SOURCES = {
    "cloudflare": cloudflare,
    "twilio-accounts": twilio,
    "sendgrid": sendgrid,
    "huawei": huawei,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SOURCES:
        sys.exit(f"usage: bench_sdk.py {{{'|'.join(SOURCES)}}} PAGE_SIZE")
    count = SOURCES[sys.argv[1]](int(sys.argv[2]), sys.stdout)
    sys.stdout.flush()
    print(f"count={count}", file=sys.stderr)


if __name__ == "__main__":
    main()
