"""Active probes (HTTP, RTSP, ONVIF, TLS, WS-Discovery, SSDP, vendor UDP) and the vendor endpoints data; every
probe reads with the shared sans-io parsers of `camscan.parse` and returns Observations."""
