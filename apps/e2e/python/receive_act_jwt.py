"""The remote agent: OutOfSessionTokenRequest verifies act JWTs, then asks the IdP for a token.

One handler verifies every JWT in turn, so its own replay protection (the jti set) applies.
Settings come from the environment as in the seed's guide (DUAL_AUTH_VENDOR, *_TOKEN_URL,
AGENT_CLIENT_ID, AGENT_CLIENT_SECRET, API_AUDIENCE ...).

stdin:  {"public_key_path", "expected_audience", "act_jwts": [...],
         "token_request": {"agent_id", "scope": [...]} or null}
stdout: {"results": [{"ok": true, "act": {...}, "token": {...} or null} or a failure, ...]}
"""

from dual_auth import OutOfSessionTokenRequest

from driver_io import (
    adapter_from_environment,
    failure,
    read_request,
    token_response_json,
    write_result,
)


def main():
    request = read_request()
    handler = OutOfSessionTokenRequest(
        adapter=adapter_from_environment(),
        app_public_key_path=request["public_key_path"],
    )
    token_request = request.get("token_request")
    results = []
    for act_jwt in request["act_jwts"]:
        try:
            act = handler.receive_and_verify_act_jwt(
                act_jwt=act_jwt, expected_audience=request["expected_audience"]
            )
        except Exception as error:
            results.append(failure(error))
            continue
        token = None
        if token_request is not None:
            try:
                token = token_response_json(
                    handler.request_token(
                        agent_id=token_request["agent_id"], act=act, scope=token_request["scope"]
                    )
                )
            except Exception as error:
                token = failure(error)
        results.append({"ok": True, "act": act, "token": token})
    write_result({"results": results})


if __name__ == "__main__":
    main()
