"""The application side: HybridSender signs an out-of-session act JWT for an agent endpoint.

stdin:  {"private_key_path", "agent_endpoint", "session": {"user_email", "user_name", "user_id"},
         "ttl_seconds"}
stdout: {"ok": true, "act": {...}, "act_jwt": "..."} or a failure
"""

from dual_auth import HybridSender, UserSession

from driver_io import failure, read_request, write_result


def main():
    request = read_request()
    try:
        sender = HybridSender(private_key_pem=request["private_key_path"])
        act = sender.extract_act_from_session(UserSession(**request["session"]))
        act_jwt = sender.prepare_out_of_session_act(
            act=act,
            agent_endpoint=request["agent_endpoint"],
            ttl_seconds=request.get("ttl_seconds", 60),
        )
        write_result({"ok": True, "act": act, "act_jwt": act_jwt})
    except Exception as error:  # reported to the test, which asserts on it
        write_result(failure(error))


if __name__ == "__main__":
    main()
