"""Input and output of the interop drivers: one JSON object on stdin, one on stdout.

The TypeScript tests in apps/e2e/test/python-reference run each driver with the project's venv
(.cache/python/venv, dual-auth==1.0.1 from PyPI). A failure is reported as JSON too, naming the
exception class and its message, so the test can assert what the Python reference said.
"""

import json
import logging
import sys

# Fields of the reference's structured log records that name what happened, never a secret.
_EVENT_FIELDS = ("event", "status_code", "error_type")


class _EventRecorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.events = []

    def emit(self, record):
        fields = {name: getattr(record, name) for name in _EVENT_FIELDS if hasattr(record, name)}
        if "event" in fields:
            self.events.append(fields)


_recorder = _EventRecorder()
logging.getLogger("dual_auth").addHandler(_recorder)
logging.getLogger("dual_auth").setLevel(logging.DEBUG)
logging.getLogger("dual_auth").propagate = False


def recorded_events():
    """The reference's own log events so far ({event, status_code, error_type}), in order."""
    return list(_recorder.events)


def read_request():
    return json.load(sys.stdin)


def write_result(result):
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


def failure(error):
    return {
        "ok": False,
        "error_type": error.__class__.__name__,
        "message": str(error),
        "status_code": getattr(error, "status_code", None),
        "events": recorded_events(),
    }


def token_response_json(token_response):
    return {
        "ok": True,
        "access_token": token_response.access_token,
        "token_type": token_response.token_type,
        "expires_in": token_response.expires_in,
        "scope": token_response.scope,
        "act_assertion": token_response.act_assertion,
    }


def adapter_from_environment():
    """The adapter the seed's guide builds: get_config() and the class named by DUAL_AUTH_VENDOR."""
    from dual_auth import (
        Auth0Adapter,
        EntraIDAdapter,
        KeycloakAdapter,
        OktaAdapter,
        get_config,
        get_vendor,
    )

    adapters = {
        "keycloak": KeycloakAdapter,
        "auth0": Auth0Adapter,
        "okta": OktaAdapter,
        "entraid": EntraIDAdapter,
    }
    return adapters[get_vendor()](get_config())
