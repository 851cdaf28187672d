"""PTB's two HTTP clients, as the bot builds them for the real Bot API."""

from __future__ import annotations

import ssl

from telegram.request import HTTPXRequest

from bot.app import _telegram_requests


def test_sending_and_get_updates_share_one_tls_context():
    sending, polling = _telegram_requests(None)
    assert isinstance(sending, HTTPXRequest) and isinstance(polling, HTTPXRequest)
    # Read back from what each hands httpx: a context of its own each would cost ~1 MB.
    tls = sending._client_kwargs["verify"]
    assert isinstance(tls, ssl.SSLContext)
    assert polling._client_kwargs["verify"] is tls
    assert tls.verify_mode is ssl.CERT_REQUIRED and tls.check_hostname


def test_a_given_get_updates_request_is_kept():
    given = HTTPXRequest(connection_pool_size=1)
    assert _telegram_requests(given)[1] is given
