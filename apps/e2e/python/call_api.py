"""The agent's API client: InSessionAPICall or OutOfSessionAPICall with a given token response.

stdin:  {"client": "in-session" | "out-of-session", "api_url", "method",
         "token_response": {"access_token", "token_type", "expires_in", "scope", "act_assertion"}}
stdout: {"ok": true, "status": 200, "body": {...}} or a failure
"""

from dual_auth import InSessionAPICall, OutOfSessionAPICall, TokenResponse

from driver_io import failure, read_request, write_result


def main():
    request = read_request()
    clients = {"in-session": InSessionAPICall, "out-of-session": OutOfSessionAPICall}
    given = request["token_response"]
    token_response = TokenResponse(
        access_token=given["access_token"],
        token_type=given.get("token_type", "Bearer"),
        expires_in=given.get("expires_in", 300),
        scope=given.get("scope", ""),
        act_assertion=given.get("act_assertion"),
    )
    try:
        client = clients[request["client"]](timeout=10)
        response = client.call_api(
            token_response=token_response,
            api_url=request["api_url"],
            method=request.get("method", "GET"),
        )
        write_result({"ok": True, "status": response.status_code, "body": response.json()})
    except Exception as error:
        write_result(failure(error))


if __name__ == "__main__":
    main()
