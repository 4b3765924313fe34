"""The in-session agent: InSessionTokenRequest asks the configured vendor's IdP for a token.

stdin:  {"agent_id", "act": {...}, "scope": [...]}
stdout: the token response ({"ok": true, "access_token", "act_assertion", ...}) or a failure
"""

from dual_auth import InSessionTokenRequest

from driver_io import (
    adapter_from_environment,
    failure,
    read_request,
    token_response_json,
    write_result,
)


def main():
    request = read_request()
    try:
        token_request = InSessionTokenRequest(adapter_from_environment())
        token_response = token_request.request_token(
            agent_id=request["agent_id"], act=request["act"], scope=request["scope"]
        )
        write_result(token_response_json(token_response))
    except Exception as error:
        write_result(failure(error))


if __name__ == "__main__":
    main()
