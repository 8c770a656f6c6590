"""What every sandbox is made of; nothing in it names the system it stands in for.

- `web`: requests, responses, errors and routing, without sockets;
- `http`: serving them on the loopback interface, and `ControlServer`, the
  plain JSON control endpoint of the virtual devices;
- `server`: the HTTP server, request log, clock, housekeeping thread and the
  `/_sandbox/` control API every emulator shares;
- `faults`: latency, errors, dropped or hanging connections, rate limits,
  rules, and each emulator's switches and settings;
- `requestlog`, `clock`: what the sandbox received, and time tests can move;
- `database`: one SQLite connection, one transaction per request;
- `webhooks`: signed deliveries from a background thread, with retries;
- `control`: clients of the control APIs (each emulator adds its routes);
- `qr`: QR codes as inline SVG for the demo pages.
"""
