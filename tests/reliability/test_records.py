"""The lab's read-only check: a connection on which the device read no request is not a write."""

from __future__ import annotations

from camscan.lab.records import RequestLog, RequestRecord, is_connection_only, is_read_only


def rec(protocol: str, method: str, path: str = "", action: str = "") -> RequestRecord:
    return RequestRecord(device="d", ip="127.86.0.1", protocol=protocol, port=80, method=method, path=path,
                         action=action)  # fmt: skip


def test_connection_without_a_request_is_read_only() -> None:
    for record in (rec("http", "CONNECT"), rec("https", "CONNECT"), rec("rtsp", "CONNECT"),
                   rec("tcp", "CONNECT", action="garbage")):  # fmt: skip
        assert is_connection_only(record)
        assert is_read_only(record)


def test_an_http_connect_request_is_not_connection_only() -> None:
    tunnel = rec("http", "CONNECT", "example.com:443")  # a real CONNECT request names its target
    assert not is_connection_only(tunnel)
    assert not is_read_only(tunnel)


def test_writes_leave_out_connections_but_keep_writes() -> None:
    log = RequestLog()
    log.extend([rec("http", "CONNECT"), rec("rtsp", "CONNECT"), rec("http", "GET", "/"),
                rec("http", "PUT", "/ISAPI/System/time"), rec("rtsp", "SET_PARAMETER", "rtsp://x/"),
                rec("http", "INVALID")])  # fmt: skip
    assert [(r.method, r.path) for r in log.writes()] == [
        ("PUT", "/ISAPI/System/time"),
        ("SET_PARAMETER", "rtsp://x/"),
        ("INVALID", ""),
    ]
